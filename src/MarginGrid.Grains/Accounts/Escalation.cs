using MarginGrid.Abstractions.Liquidations;

namespace MarginGrid.Grains.Accounts;

/// <summary>A breach the coordinator accepted: the scope it is about and when it was last sent.</summary>
internal readonly record struct Escalation(ScopeKey Scope, DateTimeOffset At);
