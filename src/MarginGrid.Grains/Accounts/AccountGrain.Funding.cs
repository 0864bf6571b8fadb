using System.Collections.Immutable;
using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;
using Microsoft.Extensions.Logging;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// Funding, counted at once and written lazily. The markets record each round once; the account applies every
/// round its positions have not settled as soon as it hears of it (a delivery, a read, a command), so every
/// figure, band, withdrawal, order check and liquidation counts it, and keeps those events as unrealised
/// funding. They go to the ledger ahead of the next command in the same append, or on
/// <see cref="Abstractions.Accounts.IAccountDelivery.RealiseFunding"/> (the shards' compaction). The state is
/// always the stored events plus the unrealised ones; after a restart the rounds are counted again from the
/// positions' <c>FundingRound</c>, exactly as before.
/// </summary>
public sealed partial class AccountGrain : IAccountGrain
{
    private readonly List<AccountEvent> _unrealisedFunding = [];

    /// <summary>The version the ledger holds: the account's own counts the unrealised funding too.</summary>
    private long StoredVersion => _stream.Version;

    /// <summary>Counts every due round of the held markets, from this silo's table of rounds (refreshed when old).</summary>
    private async ValueTask CountDueFunding()
    {
        foreach (var symbol in _account.Positions.Keys.ToList())
        {
            CountFunding(symbol, await _directory.Rounds(symbol));
        }
    }

    /// <summary>The same, for the evaluation path: only what the silo's table holds, no call.</summary>
    private void CountKnownFunding()
    {
        foreach (var symbol in _account.Positions.Keys.ToList())
        {
            CountFunding(symbol, _directory.CachedRounds(symbol));
        }
    }

    /// <summary>Learns the newest round of a market before a decision may open a position in it.</summary>
    private async ValueTask KnowFundingRounds(string symbol)
    {
        var rounds = await _directory.Rounds(symbol);
        if (!rounds.IsEmpty)
        {
            _account.KnowFundingRound(symbol, rounds[^1].Sequence);
        }
    }

    private void CountFunding(string symbol, ImmutableArray<FundingSettlement> rounds)
    {
        if (rounds.IsEmpty)
        {
            return;
        }

        _account.KnowFundingRound(symbol, rounds[^1].Sequence);
        if (!_account.Positions.TryGetValue(symbol, out var position) || position.FundingRound >= rounds[^1].Sequence)
        {
            return;
        }

        var market = _markets.Market(symbol);
        foreach (var round in rounds.Skip((int)Math.Max(0, position.FundingRound)))
        {
            try
            {
                _unrealisedFunding.AddRange(_account.SettleDueFunding(market, [new FundingRound(round.SettlementId, round.Sequence, round.Rate, round.MarkPrice)]));
            }
            catch (DomainException error)
            {
                // Left due (counted again on the next look); nothing of it was applied.
                _logger.LogError("Funding {Settlement} refused on {Account}: {Error}", round.SettlementId, Id, error.Message);
                return;
            }
        }
    }

    /// <summary>The unrealised funding in stored form, to go ahead of a command in one append.</summary>
    private List<StoredEvent> UnrealisedFunding(DateTimeOffset at) => [.. _unrealisedFunding.Select(e => new StoredEvent(e, at))];

    /// <summary>Writes the unrealised funding on its own; true when there was any.</summary>
    private async Task<bool> RealiseUnrealisedFunding()
    {
        if (_unrealisedFunding.Count == 0)
        {
            return false;
        }

        // The state already counts these events: the stream writes them and applies nothing more. On a conflict
        // or an unknown outcome it deactivates the grain, and the next activation counts the rounds again.
        await _stream.Append(UnrealisedFunding(_clock.GetUtcNow()), []);
        _unrealisedFunding.Clear();
        return true;
    }

    /// <summary>What the ledger does not hold yet of a balance: the unrealised funding that moved it.</summary>
    private decimal PendingFunding(LedgerAccount account) =>
        _unrealisedFunding.SelectMany(e => e.Transactions).SelectMany(t => t.Entries).Where(e => e.Account == account).Sum(e => e.Amount);

    async Task<ImmutableArray<FundingPaymentView>> IAccountGrain.GetFunding(long before, int limit)
    {
        await RefreshMarks();
        var stored = (await _stream.History()).Select(e => ((AccountEvent)e.Event, (DateTimeOffset?)e.At));
        var unrealised = _unrealisedFunding.Select(e => (e, (DateTimeOffset?)null));
        var payments = new List<FundingPaymentView>();
        foreach (var (accountEvent, at) in stored.Concat(unrealised).Where(e => e.Item1.Kind == "funding"))
        {
            var number = payments.Count + 1;
            var position = accountEvent.Positions[0];
            var settlementId = Account.SettlementOf(accountEvent.CommandKey, position.Symbol);
            var round = _directory.CachedRounds(position.Symbol).FirstOrDefault(r => r.SettlementId == settlementId);
            var leg = accountEvent.Transactions.SelectMany(t => t.Entries).Single(e => e.Account.BelongsTo(Id));
            payments.Add(new FundingPaymentView(number, settlementId, position.Symbol, round?.Sequence, round?.Rate, round?.MarkPrice,
                leg.Account.Symbol.Length == 0 ? "wallet" : $"isolated:{leg.Account.Symbol}", leg.Account.Asset, leg.Amount, at is not null, at));
        }

        return [.. payments.Where(p => before <= 0 || p.Number < before).OrderByDescending(p => p.Number).Take(limit)];
    }
}
