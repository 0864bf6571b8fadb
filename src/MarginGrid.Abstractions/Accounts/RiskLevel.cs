namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// The margin level of a scope or an account, worst last (<c>healthy</c>, <c>warning</c>, <c>danger</c>,
/// <c>breach</c> on the HTTP API); ordered so a larger value is a worse level.
/// </summary>
[GenerateSerializer, Alias("mg.RiskLevel")]
public enum RiskLevel
{
    Healthy = 0,
    Warning = 1,
    Danger = 2,
    Breach = 3,
}
