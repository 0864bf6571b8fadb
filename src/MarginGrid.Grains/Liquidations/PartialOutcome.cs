namespace MarginGrid.Grains.Liquidations;

/// <summary>How the partial step ended.</summary>
public enum PartialOutcome
{
    /// <summary>The marks are stale: try again on a fresh one.</summary>
    Waiting,

    /// <summary>The scope is not in breach (any more) and nothing was closed.</summary>
    NotInBreach,

    /// <summary>The partial reduction restored the scope.</summary>
    Recovered,

    /// <summary>Still in breach: the full step follows.</summary>
    StillInBreach,
}
