namespace MarginGrid.Domain.Common;

/// <summary>The side of a fill or order.</summary>
public enum Side
{
    Buy,
    Sell,
}
