namespace MarginGrid.Abstractions.Accounts;

/// <summary>The side a position holds: long (positive size) or short (negative size).</summary>
[GenerateSerializer, Alias("mg.PositionSide")]
public enum PositionSide
{
    Long = 0,
    Short = 1,
}
