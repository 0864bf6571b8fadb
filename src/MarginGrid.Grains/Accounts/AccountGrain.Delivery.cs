using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Margin;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Accounts;

/// <summary>The shards' side of the account: the marks and funding of the markets it holds.</summary>
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
        var market = await EnsureMarket(settlement.Symbol);
        var result = await Execute(() => _account.DecideFunding(settlement.SettlementId, market, settlement.Rate, settlement.MarkPrice), _ => 0, replayKey: null);
        if (!result.Succeeded)
        {
            _logger.LogError("Funding {Settlement} refused on {Account}: {Error}", settlement.SettlementId, Id, result.Error);
        }
    }
}
