using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Funds;
using MarginGrid.Abstractions.Ledger;
using MarginGrid.Domain.Ledger;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Ledger;

/// <summary>
/// Runs a reconciliation: reads every money stream and the store's totals, ledger partition by partition,
/// asks every account and fund grain for its live balances, and lets <see cref="LedgerReconciliation"/>
/// find the differences.
/// </summary>
public sealed class ReconciliationGrain(IEventLog log, ILedgerReader ledger, TimeProvider clock) : Grain, IReconciliationGrain
{
    private const int Parallelism = 32;

    public async Task<ReconciliationReport> Run()
    {
        var reconciliation = new LedgerReconciliation();
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
                reconciliation.AddStream(stream, await log.Read(stream), partition);
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
        }

        foreach (var stream in funds)
        {
            var asset = stream[LedgerOwnership.FundPrefix.Length..];
            var fund = await GrainFactory.GetGrain<IInsuranceFundGrain>(asset).Get();
            reconciliation.CompareLive("fund", LedgerAccount.InsuranceFund(asset), fund.Balance);
        }

        reconciliation.CompareUnreported("account", a => a.Kind is LedgerAccountKind.Wallet or LedgerAccountKind.IsolatedMargin);
        reconciliation.CompareUnreported("fund", a => a.Kind is LedgerAccountKind.InsuranceFund);
        return reconciliation.Report(accounts.Count, funds.Count, clock.GetUtcNow());
    }
}
