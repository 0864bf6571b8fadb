namespace MarginGrid.LoadTest;

/// <summary>
/// One audit: accounts valued, candidates (in breach and not being liquidated, or not answering), those still
/// in breach and not being liquidated after the wait (missed), accounts that did not answer the first pass within
/// the call timeout, and those that did not answer the second either (unknown: neither cleared nor missed).
/// </summary>
public sealed record AuditResult(int Checked, int Candidates, int Missed, IReadOnlyList<string> MissedSample, int Unanswered, int Unknown);
