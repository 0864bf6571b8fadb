using System.Collections.Immutable;
using MarginGrid.Domain.Ledger;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// Everything one accepted command did to an account: the ledger transactions it posted, the positions it
/// left (their isolated margin is derived from the ledger, not taken from here) and the settings it set.
/// An account is the fold of its events, so a durable event store can replay it.
/// </summary>
/// <param name="CommandKey">The idempotency key (kind-prefixed command id); null for settings, which are naturally idempotent.</param>
/// <param name="Fingerprint">The command's content, so a replay with other content is refused.</param>
public sealed record AccountEvent(
    string? CommandKey,
    string Fingerprint,
    string Kind,
    ImmutableArray<LedgerTransaction> Transactions,
    ImmutableArray<Position> Positions,
    ImmutableArray<SymbolSettings> Settings);
