namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The marks of one market between which an account's margin level cannot change, as the account
/// computed after an evaluation; a shard may skip the account while the mark stays inside. Null bounds
/// mean "unbounded"; <see cref="Empty"/> asks to be told of every mark.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.PriceBand")]
public sealed record PriceBand(
    [property: Id(0)] decimal? Low,
    [property: Id(1)] decimal? High,
    [property: Id(2)] decimal AdlScore,
    [property: Id(3)] decimal Quantity)
{
    public static PriceBand Empty { get; } = new(null, null, 0m, 0m);
}
