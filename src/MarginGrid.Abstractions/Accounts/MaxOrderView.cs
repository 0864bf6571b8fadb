namespace MarginGrid.Abstractions.Accounts;

/// <summary>The largest order the pre-trade check accepts now (a lot multiple, 0 when none) and the initial margin it requires.</summary>
[GenerateSerializer, Immutable, Alias("mg.MaxOrderView")]
public sealed record MaxOrderView(
    [property: Id(0)] decimal MaxQuantity,
    [property: Id(1)] decimal RequiredInitialMargin);
