using MarginGrid.Abstractions.Markets;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The account (key: account id) as its market shards see it: deliveries of marks and funding of the markets
/// it holds. The same grain as <see cref="IAccountGrain"/>.
/// </summary>
public interface IAccountDelivery : IGrainWithStringKey
{
    /// <summary>A market this account holds has a new mark (from its shard). Returns what the shard keeps of it.</summary>
    Task<HolderReport> OnMark(MarkUpdate update);

    /// <summary>
    /// A funding round of a market this account holds was recorded: the account counts it at once (in memory,
    /// like a mark) and re-evaluates; the ledger gets it with the account's next command or <see cref="RealiseFunding"/>.
    /// </summary>
    Task OnFunding(FundingSettlement settlement);

    /// <summary>Writes the funding rounds this account counts but its ledger does not hold yet; true when it wrote any.</summary>
    Task<bool> RealiseFunding();
}
