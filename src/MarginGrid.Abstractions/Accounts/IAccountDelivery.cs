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

    /// <summary>A funding settlement of a market this account holds.</summary>
    Task OnFunding(FundingSettlement settlement);
}
