using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Margin;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Accounts;

/// <summary>The shards' side of the account: the marks and funding rounds of the markets it holds.</summary>
public sealed partial class AccountGrain : IAccountDelivery
{
    async Task<HolderReport> IAccountDelivery.OnMark(MarkUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (!_markets.Has(update.Symbol, update.MarketVersion))
        {
            await EnsureMarket(update.Symbol, update.MarketVersion);
        }

        // In breach, the same mark again is evaluated too: it is how a shard retries an escalation that failed
        // (a coordinator's silo stopping); escalated breaches are not sent twice.
        if (_markets.SetMark(update) || _level == MarginLevel.Breach)
        {
            await Evaluate(escalate: true, replyFor: update.Symbol);
        }

        var report = Report(update.Symbol);
        _reported[update.Symbol] = report;
        return report;
    }

    async Task IAccountDelivery.OnFunding(FundingSettlement settlement)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        _directory.ObserveRound(settlement);
        if (!_account.Positions.ContainsKey(settlement.Symbol))
        {
            return;
        }

        await EnsureMarket(settlement.Symbol);
        var counted = _unrealisedFunding.Count;
        CountFunding(settlement.Symbol, await _directory.Rounds(settlement.Symbol));
        if (_unrealisedFunding.Count != counted)
        {
            // The round moved this account's equity: its level and bands are re-judged now, as on a mark.
            await Evaluate(escalate: true);
        }
    }

    async Task<bool> IAccountDelivery.RealiseFunding()
    {
        await CountDueFunding();
        try
        {
            return await RealiseUnrealisedFunding();
        }
        catch (EventLogUnavailableException error)
        {
            _logger.LogWarning(error, "Writing the funding of {Account} to its ledger failed; its next command writes it", Id);
            return false;
        }
    }
}
