namespace MarginGrid.LoadTest.Trading;

/// <summary>What the grid answered to a command, as far as the sender knows.</summary>
public enum CommandOutcome
{
    /// <summary>Sent, no answer yet, or the call failed without one (timeout, lost connection): it may or may not have applied.</summary>
    Unknown,

    /// <summary>Answered as applied (or as already applied: the same id sent again).</summary>
    Acknowledged,

    /// <summary>Answered with a refusal: it changed nothing.</summary>
    Refused,
}
