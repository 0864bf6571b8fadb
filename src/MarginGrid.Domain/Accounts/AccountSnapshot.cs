using System.Collections.Immutable;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// An account's whole state at <see cref="Version"/> as a plain record: what <see cref="Account.FromSnapshot"/>
/// needs to continue exactly as a fold of every event up to that version would. New account state is a new
/// field here (and in <see cref="Account.Snapshot"/> / <see cref="Account.FromSnapshot"/>).
/// </summary>
public sealed record AccountSnapshot(
    string Id,
    long Version,
    ImmutableArray<AccountBalance> Balances,
    ImmutableArray<Position> Positions,
    ImmutableArray<SymbolSettings> Settings,
    ImmutableArray<AppliedCommand> Commands);
