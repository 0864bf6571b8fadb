using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Grains.Infrastructure;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Markets;

/// <summary>
/// Funding at this shard: a recorded round is told to every holder in memory (it moves their equity, so they
/// re-evaluate, as on a mark), and later each holder is asked to write what it counts to its ledger (compaction).
/// Both are idempotent: a holder counts a round once and writes it once, keyed by its settlement id.
/// </summary>
public sealed partial class MarketShardGrain
{
    private IGrainTimer? _compaction;

    /// <summary>The holders being told of the newest round; each round waits for the one before, so holders hear them in order.</summary>
    private Task _telling = Task.CompletedTask;

    /// <summary>
    /// Tells every holder of a round after the settlement answered: reads already count the round (every silo's
    /// table has it), so telling is for the holders' own re-evaluation, which a round's size would otherwise hold
    /// up the market's answer for (seconds at 10k holders).
    /// </summary>
    private async Task TellHolders(Task previous, string[] holders, FundingSettlement settlement)
    {
        await previous;
        try
        {
            await InWindows(holders, _options.FundingWindow, id => _funding.Run(() => TellFunding(id, settlement)));
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            _logger.LogWarning(error, "Telling the holders of funding {Settlement} failed; each counts it on its next read or command", settlement.SettlementId);
        }

        ScheduleFundingCompaction();
    }

    public async Task<int> CompactFunding()
    {
        var written = 0;
        await InWindows(_holders.Ids(), _options.FundingWindow, id => _funding.Run(async () =>
        {
            if (await Realise(id))
            {
                Interlocked.Increment(ref written);
            }
        }));

        return written;
    }

    private async Task TellFunding(string accountId, FundingSettlement settlement)
    {
        try
        {
            await GrainFactory.Reference<IAccountDelivery>(accountId).OnFunding(settlement);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // The holder counts the round anyway on its next read or command (from its silo's table of rounds).
            _logger.LogWarning(error, "Telling {Account} of funding {Settlement} failed", accountId, settlement.SettlementId);
        }
    }

    private async Task<bool> Realise(string accountId)
    {
        try
        {
            return await GrainFactory.Reference<IAccountDelivery>(accountId).RealiseFunding();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            // Left for the holder's next command or the next round's compaction: what it counts is not lost.
            _logger.LogWarning(error, "Writing the funding of {Account} to its ledger failed", accountId);
            return false;
        }
    }

    /// <summary>One compaction after the newest round, however many rounds arrive before it starts.</summary>
    private void ScheduleFundingCompaction()
    {
        _compaction?.Dispose();
        _compaction = this.RegisterGrainTimer(async _ =>
        {
            _compaction?.Dispose();
            _compaction = null;
            await CompactFunding();
        }, new GrainTimerCreationOptions(_options.FundingCompactionDelay, Timeout.InfiniteTimeSpan) { Interleave = true });
    }
}
