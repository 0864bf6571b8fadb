using MarginGrid.Domain.Common;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

public sealed partial class Account
{
    /// <summary>
    /// Settles funding of one market on this account: the holder pays <c>s·N·F</c> at the settlement mark,
    /// rounded in the venue's favour; the market's residue account takes the other leg, so what rounding
    /// keeps is accounted for. Cross positions settle against the wallet, isolated ones against their margin.
    /// The position leaves marked as settled at <paramref name="round"/>. Null when the account holds no
    /// position in the market or already applied this settlement.
    /// </summary>
    public AccountEvent? DecideFunding(string settlementId, MarketDefinition market, decimal rate, decimal markPrice, long round = 0)
    {
        ArgumentNullException.ThrowIfNull(market);
        Require.Id(settlementId, "A settlement id");
        Require.That(Math.Abs(rate) <= market.FundingCap, ErrorCodes.InvalidRate, $"Funding rate {rate} is beyond the cap ±{market.FundingCap}.");
        Require.That(round >= 0, ErrorCodes.InvalidArgument, $"A funding round is 0 or more, not {round}.");
        market.RequireValidPrice(markPrice, "Settlement mark");
        var key = FundingKey(market.Symbol, settlementId);
        var fingerprint = Fingerprint.Of(rate, markPrice);
        if (IsReplay(key, fingerprint) || !_positions.TryGetValue(market.Symbol, out var position))
        {
            return null;
        }

        var flow = MoneyRounding.InVenueFavour(-FundingCalculator.Payment(market, position.Size, markPrice, rate), market.SettleDecimals);
        var target = position.IsIsolated
            ? LedgerAccount.Isolated(Id, market.Symbol, market.SettleAsset)
            : LedgerAccount.Wallet(Id, market.SettleAsset);
        var transaction = LedgerTransaction.Create(TransactionId(key), "funding",
            new LedgerLeg(target, flow, EntryKind.Funding),
            new LedgerLeg(LedgerAccount.Residue(market.Symbol, market.SettleAsset), -flow, EntryKind.Funding));
        return NewEvent(key, fingerprint, "funding", transaction, position with { FundingRound = Math.Max(position.FundingRound, round) });
    }

    /// <summary>
    /// Settles, oldest first, every round of <paramref name="rounds"/> that this account's position in the market
    /// has not settled yet, each exactly as <see cref="DecideFunding"/> would have at its time (a size change
    /// realises the due rounds first, so each round sees the size held at it). Applies them and returns them, for
    /// the ledger. Rounds this account already applied under the same id are skipped, never paid twice.
    /// </summary>
    public IReadOnlyList<AccountEvent> SettleDueFunding(MarketDefinition market, IEnumerable<FundingRound> rounds)
    {
        ArgumentNullException.ThrowIfNull(market);
        ArgumentNullException.ThrowIfNull(rounds);
        var settled = new List<AccountEvent>();
        foreach (var round in rounds.OrderBy(r => r.Sequence))
        {
            KnowFundingRound(market.Symbol, round.Sequence);
            if (!_positions.TryGetValue(market.Symbol, out var position) || round.Sequence <= position.FundingRound)
            {
                continue;
            }

            // Null for a round applied before under this id (an older settlement path): nothing is due.
            if (Execute(a => a.DecideFunding(round.SettlementId, market, round.Rate, round.MarkPrice, round.Sequence)) is { } settledRound)
            {
                settled.Add(settledRound);
            }
        }

        return settled;
    }

    /// <summary>
    /// The newest round of a market this account has heard of. A position opened from flat starts at it, so
    /// the rounds recorded before it opened are not due from it. Not part of the fold: the opening event carries it.
    /// </summary>
    public void KnowFundingRound(string symbol, long sequence)
    {
        Require.Id(symbol, "A symbol");
        if (sequence > _newestRounds.GetValueOrDefault(symbol))
        {
            _newestRounds[symbol] = sequence;
        }
    }

    /// <summary>The ledger key of a settlement on this account, the same however it is realised.</summary>
    public static string FundingKey(string symbol, string settlementId) => $"funding:{symbol}:{settlementId}";

    /// <summary>The settlement id a funding payment's command key names (<see cref="FundingKey"/> read back); empty if it names none.</summary>
    public static string SettlementOf(string? commandKey, string symbol)
    {
        var prefix = FundingKey(symbol, "");
        return commandKey is not null && commandKey.StartsWith(prefix, StringComparison.Ordinal) ? commandKey[prefix.Length..] : "";
    }

    private Position StampNewFundingRound(Position position) =>
        position.IsOpen && !_positions.ContainsKey(position.Symbol)
            ? position with { FundingRound = _newestRounds.GetValueOrDefault(position.Symbol) }
            : position;
}
