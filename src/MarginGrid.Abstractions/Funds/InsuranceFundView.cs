using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Funds;

/// <summary>The insurance fund of one settlement asset: its balance, what running liquidations have set aside of it, and its recent flows.</summary>
[GenerateSerializer, Immutable, Alias("mg.InsuranceFundView")]
public sealed record InsuranceFundView(
    [property: Id(0)] string Asset,
    [property: Id(1)] decimal Balance,
    [property: Id(5)] decimal Reserved,
    [property: Id(2)] ImmutableArray<FundFlow> RecentFlows,
    [property: Id(3)] decimal TotalFees,
    [property: Id(4)] decimal TotalPayouts);
