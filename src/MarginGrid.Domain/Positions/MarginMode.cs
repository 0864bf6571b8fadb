namespace MarginGrid.Domain.Positions;

/// <summary>Whether a position shares its asset's wallet (cross) or has margin of its own (isolated).</summary>
public enum MarginMode
{
    Cross,
    Isolated,
}
