namespace MarginGrid.LoadTest;

/// <summary>One audit: accounts valued, candidates in breach and not being liquidated, and those still so after the wait (missed).</summary>
public sealed record AuditResult(int Checked, int Candidates, int Missed, IReadOnlyList<string> MissedSample);
