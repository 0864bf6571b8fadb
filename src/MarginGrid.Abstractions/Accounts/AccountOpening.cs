using System.Collections.Immutable;

namespace MarginGrid.Abstractions.Accounts;

/// <summary>
/// An account's opening state in one command (onboarding, or migrating a venue's accounts into the grid):
/// deposits, then per position its settings and the fill that opens it. All or nothing; each part keeps its
/// own idempotency id, so a retried opening applies nothing twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("mg.AccountOpening")]
public sealed record AccountOpening(
    [property: Id(0)] ImmutableArray<OpeningDeposit> Deposits,
    [property: Id(1)] ImmutableArray<OpeningPosition> Positions);
