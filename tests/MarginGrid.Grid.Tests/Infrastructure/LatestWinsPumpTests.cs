using System.Runtime.CompilerServices;
using MarginGrid.Grains.Infrastructure;

namespace MarginGrid.Grid.Tests.Infrastructure;

/// <summary>
/// The fan-out's conflation: one pass at a time, over the newest value; values that arrive during a pass
/// replace each other, the newest is never lost, and every submitter is released once a pass that started
/// after its value has finished. Run under grain-like scheduling, as in a shard.
/// </summary>
public sealed class LatestWinsPumpTests
{
    private readonly GrainLikeScheduler _grain = new();

    [Fact]
    public async Task Values_that_arrive_during_a_pass_conflate_to_the_newest()
    {
        var passed = new List<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = new LatestWinsPump<string>(async value =>
        {
            passed.Add(value);
            if (value == "first")
            {
                await gate.Task;
            }
        });

        var (first, second, third, fourth) = await _grain.Run(() => Task.FromResult((
            pump.Submit("first"), pump.Submit("second"), pump.Submit("third"), pump.Submit("fourth"))));

        // Still inside the first pass: nothing after it has been passed, and no later submitter is released.
        Assert.Equal(["first"], await _grain.Run(() => Task.FromResult(passed.ToList())));
        Assert.False(second.IsCompleted || third.IsCompleted || fourth.IsCompleted);

        gate.SetResult();
        await Task.WhenAll(first, second, third, fourth);

        Assert.Equal(["first", "fourth"], passed);
        Assert.Equal(2, pump.Conflated);
    }

    [Fact]
    public async Task A_submitter_is_released_only_by_a_pass_that_started_after_its_value()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var passes = 0;
        var pump = new LatestWinsPump<string>(async _ =>
        {
            passes++;
            await gate.Task;
        });

        var first = await _grain.Run(() => Task.FromResult(pump.Submit("a")));
        var second = await _grain.Run(() => Task.FromResult(pump.Submit("b")));
        Assert.False(second.IsCompleted);
        gate.SetResult();
        await first;
        await second;

        Assert.Equal(2, passes);
    }

    [Fact]
    public async Task A_failed_pass_fails_its_submitters_and_the_next_value_is_still_passed()
    {
        var passed = new List<string>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pump = new LatestWinsPump<string>(async value =>
        {
            await gate.Task;
            passed.Add(value);
            if (value == "bad")
            {
                throw new InvalidOperationException("pass failed");
            }
        });

        var (bad, good) = await _grain.Run(() => Task.FromResult((pump.Submit("bad"), pump.Submit("good"))));
        gate.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => bad);
        await good;
        Assert.Equal(["bad", "good"], passed);
    }

    [Fact]
    public async Task Many_producers_lose_no_wake_up_and_the_last_pass_sees_the_newest_value()
    {
        const int producers = 16;
        const int perProducer = 500;
        var passed = new List<long>();
        long next = 0;
        var pump = new LatestWinsPump<StrongBox<long>>(async value =>
        {
            passed.Add(value.Value);
            await Task.Yield();
        });

        var submitted = new List<Task>();
        await Task.WhenAll(Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                // Each submission is one grain turn; producers on other threads interleave their turns at random.
                await _grain.Run(() =>
                {
                    submitted.Add(pump.Submit(new StrongBox<long>(++next)));
                    return Task.CompletedTask;
                });
                if (i % 7 == 0)
                {
                    await Task.Yield();
                }
            }
        })));

        // Every submitter is released (a lost wake-up would leave one waiting forever, and this await would not return).
        await Task.WhenAll(submitted);
        var total = producers * perProducer;
        Assert.Equal(total, submitted.Count);
        Assert.Equal(total, passed[^1]);

        // Then, on an idle pump, three values in one turn: the first starts a pass, the third replaces the second.
        await _grain.Run(() => Task.WhenAll(pump.Submit(new StrongBox<long>(++next)), pump.Submit(new StrongBox<long>(++next)), pump.Submit(new StrongBox<long>(++next))));
        Assert.Equal<long>([total + 1, total + 3], passed.TakeLast(2));
        total += 3;
        Assert.True(passed.Zip(passed.Skip(1)).All(p => p.First < p.Second), "passes run in submission order, one value at a time");
        Assert.Equal(total, passed.Count + pump.Conflated);
        Assert.True(pump.Conflated > 0, "values that arrived during a pass were conflated");
    }
}
