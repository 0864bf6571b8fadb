namespace MarginGrid.Domain.Margin;

/// <summary>How close a scope is to liquidation; ordered so that a larger value is worse.</summary>
public enum MarginLevel
{
    Healthy = 0,
    Warning = 1,
    Danger = 2,
    Breach = 3,
}
