using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Funding;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Markets;
using MarginGrid.Grains.Markets;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Ledger;

/// <summary>
/// Runs a reconciliation: reads every money stream and the store's totals, each ledger partition as of one moment
/// (so commands may keep arriving), asks every account and fund grain for its live balances, and lets
/// <see cref="LedgerReconciliation"/> find the differences. A grain that moved on after its stream was read is
/// compared with its stream read again at the grain's own version. Every account's funding payments are proved
/// against the rounds its markets recorded (<see cref="FundingAudit"/>), so a holder a round skipped or charged
/// wrongly shows, not only an unbalanced leg.
/// </summary>
public sealed class ReconciliationGrain(IEventLog log, ILedgerReader ledger, MarketDirectory markets, TimeProvider clock) : Grain, IReconciliationGrain
{
    private const int Parallelism = 32;
    private const int Attempts = 3;

    public async Task<ReconciliationReport> Run()
    {
        for (var attempt = 1; ; attempt++)
        {
            var (funding, rounds) = await FundingAudit();
            var report = await Run(funding);

            // A round recorded while the ledger was read may already be paid in a stream read after it, and would
            // read as a settlement the market never recorded: then the whole reading is done again.
            if (attempt == Attempts || (await FundingAudit()).Rounds == rounds)
            {
                return report;
            }
        }
    }

    private async Task<ReconciliationReport> Run(FundingAudit funding)
    {
        var reconciliation = new LedgerReconciliation();
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        var partitions = ledger.Partitions;
        for (var partition = 0; partition < partitions.Count; partition++)
        {
            // Each partition's table and snapshots are checked against the events of the streams it holds, as of one moment.
            var at = partition;
            var totals = await partitions[partition].ReadConsistent([LedgerOwnership.AccountPrefix, LedgerOwnership.FundPrefix], (stream, events) =>
            {
                reconciliation.AddStream(stream, events, at);
                versions[stream] = events.Count;
                if (stream.StartsWith(LedgerOwnership.AccountPrefix, StringComparison.Ordinal))
                {
                    funding.AddAccount(stream[LedgerOwnership.AccountPrefix.Length..], events.Select(e => e.Event).OfType<AccountEvent>());
                }
            });
            reconciliation.CompareStore(totals, partition);
        }

        var accounts = versions.Keys.Where(s => s.StartsWith(LedgerOwnership.AccountPrefix, StringComparison.Ordinal)).ToList();
        var funds = versions.Keys.Where(s => s.StartsWith(LedgerOwnership.FundPrefix, StringComparison.Ordinal)).ToList();
        // A window of calls rather than waves of them: a wave waits for its slowest account, and under load some
        // account is always busy.
        var inFlight = new List<Task<(AccountHoldings Held, IReadOnlyDictionary<LedgerAccount, decimal>? Newer)>>(Parallelism);
        var next = 0;
        while (next < accounts.Count || inFlight.Count > 0)
        {
            while (inFlight.Count < Parallelism && next < accounts.Count)
            {
                inFlight.Add(AccountHoldings(accounts[next], versions[accounts[next]]));
                next++;
            }

            var done = await Task.WhenAny(inFlight);
            inFlight.Remove(done);
            var (held, newer) = await done;
            reconciliation.CompareLive("account", LiveBalances(held), newer);
        }

        foreach (var stream in funds)
        {
            var (balance, newer) = await FundBalance(stream);
            reconciliation.CompareLive("fund", [(LedgerAccount.InsuranceFund(stream[LedgerOwnership.FundPrefix.Length..]), balance)], newer);
        }

        reconciliation.CompareFunding(funding);
        reconciliation.CompareUnreported("account", a => a.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin);
        reconciliation.CompareUnreported("fund", a => a.Kind is LedgerAccountKind.InsuranceFund);
        return reconciliation.Report(accounts.Count, funds.Count, clock.GetUtcNow());
    }

    /// <summary>
    /// The account's holdings, and when it moved on after its stream was read, its stream's balances read again at
    /// the version the holdings were taken at (null: the holdings are at the version read).
    /// </summary>
    private async Task<(AccountHoldings Held, IReadOnlyDictionary<LedgerAccount, decimal>? Newer)> AccountHoldings(string stream, long version)
    {
        var account = GrainFactory.GetGrain<IAccountGrain>(stream[LedgerOwnership.AccountPrefix.Length..]);
        var held = await account.GetHoldings();
        for (var attempt = 0; held.Version != version && attempt < Attempts; attempt++)
        {
            var events = await log.Read(stream);
            held = await account.GetHoldings();
            if (held.Version == events.Count)
            {
                return (held, Owned(stream, events, a => a.BelongsTo(held.AccountId)));
            }

            version = events.Count;
        }

        // Still moving after every attempt: compared with the first reading, and any difference reported.
        return (held, null);
    }

    /// <summary>
    /// The fund's balance (a fund answers no version, and moves all through a cascade): taken between two readings of
    /// its stream with nothing appended in between, and compared with that reading.
    /// </summary>
    private async Task<(decimal Balance, IReadOnlyDictionary<LedgerAccount, decimal>? Newer)> FundBalance(string stream)
    {
        var fund = GrainFactory.GetGrain<IInsuranceFundGrain>(stream[LedgerOwnership.FundPrefix.Length..]);
        (decimal, IReadOnlyDictionary<LedgerAccount, decimal>?) last = ((await fund.Get()).Balance, null);
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var before = await log.Read(stream);
            var balance = (await fund.Get()).Balance;
            var after = await log.Read(stream);
            if (before.Count != after.Count)
            {
                continue;
            }

            // An append the fund has not applied yet (its continuation still queued) reads as a difference: try again.
            var owned = Owned(stream, after, a => a.Kind == LedgerAccountKind.InsuranceFund);
            last = (balance, owned);
            if (owned.GetValueOrDefault(LedgerAccount.InsuranceFund(stream[LedgerOwnership.FundPrefix.Length..])) == balance)
            {
                break;
            }
        }

        return last;
    }

    /// <summary>The balances of the holder's own ledger accounts (<paramref name="holders"/>) in one stream's events.</summary>
    private static IReadOnlyDictionary<LedgerAccount, decimal> Owned(string stream, IReadOnlyList<StoredEvent> events, Func<LedgerAccount, bool> holders)
    {
        var balances = new Dictionary<LedgerAccount, decimal>();
        foreach (var (_, entry) in events.SelectMany(e => LedgerOwnership.OwnedEntries(stream, e.Event)).Where(e => holders(e.Entry.Account)))
        {
            balances[entry.Account] = balances.GetValueOrDefault(entry.Account) + entry.Amount;
        }

        return balances;
    }

    private static List<(LedgerAccount Account, decimal Live)> LiveBalances(AccountHoldings held) =>
    [
        .. held.Wallets.Select(w => (LedgerAccount.Wallet(held.AccountId, w.Asset), w.Balance)),
        .. held.Positions.Where(p => p.Mode == PositionMarginMode.Isolated)
            .Select(p => (LedgerAccount.Isolated(held.AccountId, p.Symbol, p.SettleAsset), p.IsolatedMargin)),
        .. held.UnsettledScopes.Select(s => (LedgerAccount.Isolated(held.AccountId, s.Symbol, s.Asset), s.Balance)),
    ];

    /// <summary>Every defined market's recorded rounds, read from the ledger (not a cache), and its definition.</summary>
    private async Task<(FundingAudit Audit, int Rounds)> FundingAudit()
    {
        var rounds = new Dictionary<string, IReadOnlyList<FundingRound>>(StringComparer.Ordinal);
        var definitions = new Dictionary<string, MarketDefinition>(StringComparer.Ordinal);
        foreach (var symbol in await GrainFactory.GetGrain<IMarketCatalogGrain>(0).List())
        {
            definitions[symbol] = await markets.Definition(symbol);
            rounds[symbol] = [.. (await log.Read(MarketGrain.RoundsStreamOf(symbol))).Select(e => e.Event).OfType<FundingSettlement>()
                .Select(r => new FundingRound(r.SettlementId, r.Sequence, r.Rate, r.MarkPrice))];
        }

        return (new FundingAudit(rounds, definitions.GetValueOrDefault), rounds.Values.Sum(r => r.Count));
    }
}
