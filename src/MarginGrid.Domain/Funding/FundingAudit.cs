using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Markets;

namespace MarginGrid.Domain.Funding;

/// <summary>
/// Proves each holder's funding against the rounds its markets recorded, from the ledger alone. Walking an
/// account's events in order, a held position must pay the rounds after the one it opened at one by one, each once,
/// in order, for exactly <c>−s·N·F</c> at the round's mark and rate on the size it held, rounded in the venue's favour;
/// no other event may move its round. A holder that skipped a round, paid one twice or under another id, or paid
/// a wrong amount is a finding. What is still due (counted by a live grain, not yet written) is tallied per round.
/// </summary>
public sealed class FundingAudit
{
    private readonly Dictionary<string, IReadOnlyList<FundingRound>> _rounds;
    private readonly Dictionary<(string Symbol, string SettlementId), FundingRound> _bySettlement = [];
    private readonly Func<string, MarketDefinition?> _market;
    private readonly Dictionary<(string Symbol, long Sequence), RoundSums> _sums = [];
    private readonly List<FundingFinding> _findings = [];

    /// <param name="rounds">Each market's recorded rounds, in sequence order (1, 2, …).</param>
    /// <param name="market">A market's definition, or null when there is no such market.</param>
    public FundingAudit(IReadOnlyDictionary<string, IReadOnlyList<FundingRound>> rounds, Func<string, MarketDefinition?> market)
    {
        ArgumentNullException.ThrowIfNull(rounds);
        ArgumentNullException.ThrowIfNull(market);
        _rounds = rounds.ToDictionary(r => r.Key, r => (IReadOnlyList<FundingRound>)[.. r.Value.OrderBy(x => x.Sequence)], StringComparer.Ordinal);
        _market = market;
        foreach (var (symbol, recorded) in _rounds)
        {
            for (var i = 0; i < recorded.Count; i++)
            {
                if (recorded[i].Sequence != i + 1)
                {
                    _findings.Add(new($"{symbol}#{i + 1}", i + 1, recorded[i].Sequence, "the market's rounds are not numbered 1, 2, … in its stream"));
                }

                _sums[(symbol, recorded[i].Sequence)] = new RoundSums(recorded[i].SettlementId);
                _bySettlement.TryAdd((symbol, recorded[i].SettlementId), recorded[i]);
            }
        }
    }

    public IReadOnlyList<FundingFinding> Findings => _findings;

    /// <summary>How many funding payments were checked against their round.</summary>
    public long PaymentsChecked { get; private set; }

    /// <summary>Walks one account's events, oldest first.</summary>
    public void AddAccount(string accountId, IEnumerable<AccountEvent> events)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(events);
        var held = new Dictionary<string, (decimal Size, long Round)>(StringComparer.Ordinal);
        foreach (var accountEvent in events)
        {
            if (accountEvent.Kind == "funding")
            {
                CheckPayment(accountId, accountEvent, held);
                continue;
            }

            foreach (var position in accountEvent.Positions)
            {
                var subject = $"{accountId}:{position.Symbol}";
                if (held.TryGetValue(position.Symbol, out var before) && position.FundingRound != before.Round)
                {
                    _findings.Add(new(subject, before.Round, position.FundingRound,
                        $"a {accountEvent.Kind} event ({accountEvent.CommandKey}) moved the position's funding round without paying the rounds between"));
                }
                else if (!held.ContainsKey(position.Symbol) && position.FundingRound > Recorded(position.Symbol).Count)
                {
                    _findings.Add(new(subject, Recorded(position.Symbol).Count, position.FundingRound,
                        $"a position opened ({accountEvent.CommandKey}) at a funding round the market never recorded"));
                }

                Hold(held, position.Symbol, position.Size, position.FundingRound);
            }
        }

        foreach (var (symbol, (_, round)) in held)
        {
            foreach (var due in Recorded(symbol).Where(r => r.Sequence > round))
            {
                Sums(symbol, due.Sequence).Due++;
            }
        }
    }

    /// <summary>The per-round totals, market by market, oldest round first.</summary>
    public IReadOnlyList<FundingRoundTally> Tallies() =>
        [.. _sums.OrderBy(s => s.Key.Symbol, StringComparer.Ordinal).ThenBy(s => s.Key.Sequence)
            .Select(s => new FundingRoundTally(s.Key.Symbol, s.Key.Sequence, s.Value.SettlementId, s.Value.Payments, s.Value.Paid, s.Value.Received, s.Value.Due))];

    private void CheckPayment(string accountId, AccountEvent payment, Dictionary<string, (decimal Size, long Round)> held)
    {
        PaymentsChecked++;
        var position = payment.Positions.Length == 1 ? payment.Positions[0] : null;
        var legs = payment.Transactions.SelectMany(t => t.Entries).Where(e => e.Account.BelongsTo(accountId)).ToList();
        if (position is null || legs.Count > 1)
        {
            _findings.Add(new($"{accountId}:{payment.CommandKey}", 1, legs.Count, "a funding event must carry one position and at most one leg of the holder"));
            return;
        }

        // A payment that rounds to nothing has no leg.
        var amount = legs.Sum(e => e.Amount);

        var symbol = position.Symbol;
        var subject = $"{accountId}:{symbol}";
        var settlementId = Account.SettlementOf(payment.CommandKey, symbol);
        // A dictionary, not a scan: years of hourly rounds times every payment would make the audit quadratic.
        if (!_bySettlement.TryGetValue((symbol, settlementId), out var round))
        {
            _findings.Add(new($"{subject}:{settlementId}", 0m, amount, "a funding payment for a settlement the market never recorded"));
            return;
        }

        subject = $"{subject}#{round.Sequence}";
        if (!held.TryGetValue(symbol, out var before))
        {
            _findings.Add(new(subject, 0m, amount, "funding paid on a position the ledger does not show open"));
            return;
        }

        if (round.Sequence != before.Round + 1)
        {
            _findings.Add(new(subject, before.Round + 1, round.Sequence, round.Sequence <= before.Round
                ? "a round paid again (or out of order)"
                : "rounds skipped: the position held them and never paid them"));
        }

        if (position.FundingRound != round.Sequence || position.Size != before.Size)
        {
            _findings.Add(new(subject, round.Sequence, position.FundingRound, "a funding payment must leave the size alone and the position at its round"));
        }

        if (_market(symbol) is { } market)
        {
            var due = MoneyRounding.InVenueFavour(-FundingCalculator.Payment(market, before.Size, round.MarkPrice, round.Rate), market.SettleDecimals);
            if (amount != due)
            {
                _findings.Add(new(subject, due, amount, $"the payment differs from −size·notional·rate at the round's mark {round.MarkPrice} and rate {round.Rate}"));
            }
        }
        else
        {
            _findings.Add(new(subject, 0m, amount, "funding paid in a market that is not defined"));
        }

        var sums = Sums(symbol, round.Sequence);
        sums.Payments++;
        if (amount < 0m)
        {
            sums.Paid -= amount;
        }
        else
        {
            sums.Received += amount;
        }

        Hold(held, symbol, position.Size, Math.Max(before.Round, round.Sequence));
    }

    private static void Hold(Dictionary<string, (decimal Size, long Round)> held, string symbol, decimal size, long round)
    {
        if (size == 0m)
        {
            held.Remove(symbol);
        }
        else
        {
            held[symbol] = (size, round);
        }
    }

    private IReadOnlyList<FundingRound> Recorded(string symbol) => _rounds.GetValueOrDefault(symbol) ?? [];

    private RoundSums Sums(string symbol, long sequence) => _sums[(symbol, sequence)];

    private sealed class RoundSums(string settlementId)
    {
        public string SettlementId { get; } = settlementId;

        public int Payments { get; set; }

        public decimal Paid { get; set; }

        public decimal Received { get; set; }

        public int Due { get; set; }
    }
}
