namespace MarginGrid.Grid.Tests.Support;

/// <summary>
/// Waits for an asynchronous outcome (a fan-out, a liquidation) to be observable. The bound only stops
/// a broken run from hanging; tests assert what happened, never how fast.
/// </summary>
public static class Eventually
{
    public static async Task<T> Get<T>(Func<Task<T>> probe, Func<T, bool> done, string what, int seconds = 60)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Never happened: {what}. Last seen: {value}");
            }

            await Task.Delay(50);
        }
    }
}
