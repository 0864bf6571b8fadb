using MarginGrid.LoadTest.Trading;

namespace MarginGrid.LoadTest;

/// <summary>
/// The trading's journal checked against the ledger: through the accounts' ledgers as the API lists them, and (on the
/// durable cluster) against the event log's per-command rows in PostgreSQL. Null where that source was not read.
/// </summary>
public sealed record CommandFigures(long Sent, long Acknowledged, long Refused, long Resent, long NotSent, CommandCheckResult? Ledger, CommandCheckResult? Postgres);
