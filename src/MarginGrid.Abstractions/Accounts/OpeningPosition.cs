namespace MarginGrid.Abstractions.Accounts;

/// <summary>A position of an account opening: its settings (margin mode, leverage) and the fill that opens it.</summary>
[GenerateSerializer, Immutable, Alias("mg.OpeningPosition")]
public sealed record OpeningPosition(
    [property: Id(0)] string FillId,
    [property: Id(1)] string Symbol,
    [property: Id(2)] PositionMarginMode MarginMode,
    [property: Id(3)] int Leverage,
    [property: Id(4)] OrderSide Side,
    [property: Id(5)] decimal Quantity,
    [property: Id(6)] decimal Price,
    [property: Id(7)] decimal Fee);
