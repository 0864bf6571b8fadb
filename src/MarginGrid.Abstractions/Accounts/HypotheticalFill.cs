namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// A fill of a what-if, applied as a real fill would be. <see cref="MarginMode"/> and <see cref="Leverage"/> set
/// the position it opens from flat; they are ignored on a position already open.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.HypotheticalFill")]
public sealed record HypotheticalFill(
    [property: Id(0)] string Symbol,
    [property: Id(1)] OrderSide Side,
    [property: Id(2)] decimal Quantity,
    [property: Id(3)] decimal Price,
    [property: Id(4)] decimal Fee,
    [property: Id(5)] PositionMarginMode? MarginMode = null,
    [property: Id(6)] int? Leverage = null);
