namespace MarginGrid.Abstractions.Accounts;

/// <summary>How a position is margined (<c>cross</c> or <c>isolated</c> on the HTTP API).</summary>
[GenerateSerializer, Alias("mg.PositionMarginMode")]
public enum PositionMarginMode
{
    Cross = 0,
    Isolated = 1,
}
