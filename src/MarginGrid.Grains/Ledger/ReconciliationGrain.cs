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
/// Runs a reconciliation: reads every money stream and the store's totals, ledger partition by partition,
/// asks every account and fund grain for its live balances, and lets <see cref="LedgerReconciliation"/>
/// find the differences. Every account's funding payments are proved against the rounds its markets recorded
/// (<see cref="FundingAudit"/>), so a holder a round skipped or charged wrongly shows, not only an unbalanced leg.
/// </summary>
public sealed class ReconciliationGrain(IEventLog log, ILedgerReader ledger, MarketDirectory markets, TimeProvider clock) : Grain, IReconciliationGrain
{
    private const int Parallelism = 32;

    public async Task<ReconciliationReport> Run()
    {
        var reconciliation = new LedgerReconciliation();
        var funding = await FundingAudit();
        var accounts = new List<string>();
        var funds = new List<string>();
        var partitions = ledger.Partitions;
        for (var partition = 0; partition < partitions.Count; partition++)
        {
            // Each partition's table and snapshots are checked against the events of the streams it holds.
            var partitionAccounts = await partitions[partition].Streams(LedgerOwnership.AccountPrefix);
            var partitionFunds = await partitions[partition].Streams(LedgerOwnership.FundPrefix);
            foreach (var stream in partitionAccounts.Concat(partitionFunds))
            {
                var events = await log.Read(stream);
                reconciliation.AddStream(stream, events, partition);
                if (stream.StartsWith(LedgerOwnership.AccountPrefix, StringComparison.Ordinal))
                {
                    funding.AddAccount(stream[LedgerOwnership.AccountPrefix.Length..], events.Select(e => e.Event).OfType<AccountEvent>());
                }
            }

            reconciliation.CompareStore(await partitions[partition].Totals(), partition);
            accounts.AddRange(partitionAccounts);
            funds.AddRange(partitionFunds);
        }

        var holdings = new List<AccountHoldings>(accounts.Count);
        foreach (var chunk in accounts.Chunk(Parallelism))
        {
            holdings.AddRange(await Task.WhenAll(chunk.Select(s => GrainFactory.GetGrain<IAccountGrain>(s[LedgerOwnership.AccountPrefix.Length..]).GetHoldings())));
        }

        foreach (var held in holdings)
        {
            foreach (var wallet in held.Wallets)
            {
                reconciliation.CompareLive("account", LedgerAccount.Wallet(held.AccountId, wallet.Asset), wallet.Balance);
            }

            foreach (var position in held.Positions.Where(p => p.Mode == PositionMarginMode.Isolated))
            {
                reconciliation.CompareLive("account", LedgerAccount.Isolated(held.AccountId, position.Symbol, position.SettleAsset), position.IsolatedMargin);
            }

            foreach (var scope in held.UnsettledScopes)
            {
                reconciliation.CompareLive("account", LedgerAccount.Isolated(held.AccountId, scope.Symbol, scope.Asset), scope.Balance);
            }
        }

        foreach (var stream in funds)
        {
            var asset = stream[LedgerOwnership.FundPrefix.Length..];
            var fund = await GrainFactory.GetGrain<IInsuranceFundGrain>(asset).Get();
            reconciliation.CompareLive("fund", LedgerAccount.InsuranceFund(asset), fund.Balance);
        }

        reconciliation.CompareFunding(funding);
        reconciliation.CompareUnreported("account", a => a.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin);
        reconciliation.CompareUnreported("fund", a => a.Kind is LedgerAccountKind.InsuranceFund);
        return reconciliation.Report(accounts.Count, funds.Count, clock.GetUtcNow());
    }

    /// <summary>Every defined market's recorded rounds, read from the ledger (not a cache), and its definition.</summary>
    private async Task<FundingAudit> FundingAudit()
    {
        var rounds = new Dictionary<string, IReadOnlyList<FundingRound>>(StringComparer.Ordinal);
        var definitions = new Dictionary<string, MarketDefinition>(StringComparer.Ordinal);
        foreach (var symbol in await GrainFactory.GetGrain<IMarketCatalogGrain>(0).List())
        {
            definitions[symbol] = await markets.Definition(symbol);
            rounds[symbol] = [.. (await log.Read(MarketGrain.RoundsStreamOf(symbol))).Select(e => e.Event).OfType<FundingSettlement>()
                .Select(r => new FundingRound(r.SettlementId, r.Sequence, r.Rate, r.MarkPrice))];
        }

        return new FundingAudit(rounds, definitions.GetValueOrDefault);
    }
}
