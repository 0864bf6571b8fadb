using MarginGrid.Abstractions.Accounts;
using MarginGrid.LoadTest.Workload;

namespace MarginGrid.LoadTest.Trading;

/// <summary>
/// Trading during the run: fills between random pairs of accounts on the linear markets at the newest mark, open-loop
/// paced (a slow grid shows as latency, not as a lower rate), through the same client as everything else. A fill is
/// two commands, the buyer's leg and the seller's, each with its own idempotency id; each is journalled with its
/// answer, and one without an answer (a timeout, a lost connection, a conflict thrown) is sent again with the same id
/// until it is answered. Latency is from a leg's intended send time to its acknowledgement, resends included.
/// </summary>
public sealed class FillTrader(IGrainFactory grains, IReadOnlyList<string> accounts, IReadOnlyList<LoadMarket> markets, Func<string, decimal> newestMark, int seed)
{
    /// <summary>The fee of every leg, in USDT: the journal's model of each account's fees paid is exact.</summary>
    public const decimal Fee = 0.01m;

    /// <summary>The prefix of every command id the trader sends (and of nothing else).</summary>
    public const string IdPrefix = "lt-fill-";

    private readonly LoadMarket[] _linear = [.. markets.Where(m => m.Spec.Kind == "linear")];
    private readonly Random _random = new(seed);
    private long _fills;
    private long _acknowledged;

    public CommandJournal Journal { get; } = new();

    public LatencyRecorder Latency { get; } = new();

    public OpenLoopPacer? Pacer { get; private set; }

    /// <summary>Legs acknowledged so far.</summary>
    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    public long Fills => Interlocked.Read(ref _fills);

    /// <summary>Paces <paramref name="perSecond"/> fills for <paramref name="duration"/>, then waits for the last ones' answers.</summary>
    public async Task Run(int perSecond, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (perSecond <= 0 || _linear.Length == 0 || accounts.Count < 2)
        {
            return;
        }

        Pacer = new OpenLoopPacer(perSecond, maxInFlight: 1024);
        await Pacer.Run(duration, TimeSpan.FromSeconds(60), () =>
        {
            var n = Interlocked.Increment(ref _fills);
            var buyer = accounts[_random.Next(accounts.Count)];
            var seller = accounts[_random.Next(accounts.Count - 1)];
            seller = seller == buyer ? accounts[^1] : seller;
            var market = _linear[_random.Next(_linear.Length)];
            var price = market.Definition.RoundPriceDown(newestMark(market.Symbol));
            var lot = market.Spec.LotSize;
            var quantity = Math.Max(lot, decimal.Floor(10m / price / lot) * lot);
            var buy = Journal.Add(new JournalEntry($"{IdPrefix}{n}-b", buyer, market.Symbol, "buy", quantity, price, Fee));
            var sell = Journal.Add(new JournalEntry($"{IdPrefix}{n}-s", seller, market.Symbol, "sell", quantity, price, Fee));
            return intended => Task.WhenAll(Send(buy, intended, cancellationToken), Send(sell, intended, cancellationToken));
        }, cancellationToken);
    }

    /// <summary>Sends every leg still without an answer again (same id), up to <paramref name="rounds"/> times each.</summary>
    public async Task ResolveUnknown(int rounds, CancellationToken cancellationToken)
    {
        for (var round = 0; round < rounds && Journal.Unknown.Any(); round++)
        {
            await Parallel.ForEachAsync(Journal.Unknown.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cancellationToken },
                async (entry, token) => await Attempt(entry, null));
        }
    }

    private async Task Send(JournalEntry entry, long intended, CancellationToken cancellationToken)
    {
        // Each leg is sent until it is answered; the resends are spaced so that a struggling grid is not flooded.
        for (var attempt = 0; attempt < 5 && !cancellationToken.IsCancellationRequested; attempt++)
        {
            if (await Attempt(entry, intended))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200 * (attempt + 1)), CancellationToken.None);
        }
    }

    /// <summary>One send; true when answered (applied or refused).</summary>
    private async Task<bool> Attempt(JournalEntry entry, long? intended)
    {
        lock (entry)
        {
            entry.Attempts++;
        }

        try
        {
            var side = entry.Side == "buy" ? OrderSide.Buy : OrderSide.Sell;
            var result = await grains.GetGrain<IAccountGrain>(entry.Account).ApplyFill(entry.CommandId, entry.Symbol, side, entry.Quantity, entry.Price, entry.Fee);
            lock (entry)
            {
                if (entry.Outcome != CommandOutcome.Unknown)
                {
                    return true;
                }

                entry.Outcome = result.Succeeded ? CommandOutcome.Acknowledged : CommandOutcome.Refused;
                entry.Reply = result.Succeeded ? (result.Replayed ? "replayed" : "applied") : result.Error!.Code;
            }

            if (result.Succeeded)
            {
                Interlocked.Increment(ref _acknowledged);
                if (intended is { } from)
                {
                    Latency.RecordSince(from);
                }
            }

            return true;
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            lock (entry)
            {
                entry.Reply = error.GetType().Name;
            }

            return false;
        }
    }
}
