namespace MarginGrid.Durable.Ledger;

/// <summary>The <c>Ledger</c> section; the connection string itself is <c>ConnectionStrings:Ledger</c>.</summary>
public sealed class LedgerOptions
{
    public const string Section = "Ledger";

    /// <summary>How long a silo waits for PostgreSQL at start-up before it gives up (and its supervisor restarts it).</summary>
    public int StartupTimeoutSeconds { get; set; } = 120;

    /// <summary>How long one ledger command may take; beyond it the command is refused as unavailable.</summary>
    public int CommandTimeoutSeconds { get; set; } = 5;

    /// <summary>
    /// How long the group commit waits, after the first append of a batch arrives, for more to join it
    /// (microseconds). 0: no wait; a batch is whatever queued while the previous one was committing.
    /// </summary>
    public int GroupCommitWindowMicroseconds { get; set; }

    /// <summary>The most appends (each of one stream) that share one database transaction.</summary>
    public int GroupCommitMaxAppends { get; set; } = 256;
}
