using MarginGrid.Domain.Common;
using MarginGrid.Domain.Positions;

namespace MarginGrid.Domain.Accounts;

/// <summary>
/// A trade that a what-if applies to a copy of an account, as a real fill would be applied.
/// <see cref="Mode"/> and <see cref="Leverage"/>, when given, are the settings of the position the trade opens
/// from flat; on a position already open they are ignored, as a real fill cannot change them either.
/// </summary>
public sealed record HypotheticalTrade(string Symbol, Side Side, decimal Quantity, decimal Price, decimal Fee, MarginMode? Mode = null, int? Leverage = null);
