using MarginGrid.Abstractions.Accounts;
using MarginGrid.Abstractions.Common;
using MarginGrid.Abstractions.Markets;
using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;
using MarginGrid.Domain.Positions;
using MarginGrid.Grains.Infrastructure;
using MarginGrid.Grains.Persistence;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// Opening an account in one command: every part is decided in order against the account as the earlier
/// parts left it, then all the events are appended at once. A refusal, or a failed append, rebuilds the
/// account from its stored events, so nothing of a refused opening remains.
/// </summary>
public sealed partial class AccountGrain : IAccountGrain
{
    private const int MaxOpeningParts = 64;

    async Task<CommandResult<AccountMarginView>> IAccountGrain.Open(AccountOpening opening)
    {
        // An opening appends at the stored version: the funding this account counts is written first.
        await CountDueFunding();
        try
        {
            await RealiseUnrealisedFunding();
        }
        catch (EventLogUnavailableException error)
        {
            return Errors.Unavailable<AccountMarginView>(error);
        }

        var decided = new List<AccountEvent>();
        var versionBefore = _account.Version;
        var held = _account.Positions.Keys.ToHashSet(StringComparer.Ordinal);
        try
        {
            ArgumentNullException.ThrowIfNull(opening);
            Require.That(opening.Deposits.Length + opening.Positions.Length is > 0 and <= MaxOpeningParts, ErrorCodes.InvalidArgument,
                $"An opening has 1 to {MaxOpeningParts} deposits and positions (had {opening.Deposits.Length + opening.Positions.Length}).");
            foreach (var deposit in opening.Deposits)
            {
                Take(decided, _account.DecideDeposit(deposit.TransferId, deposit.Asset, deposit.Amount));
            }

            foreach (var part in opening.Positions)
            {
                var market = await EnsureMarket(part.Symbol);
                var mode = ContractEnums.ToDomain(part.MarginMode);
                if (!_account.HasApplied($"fill:{part.FillId}"))
                {
                    Take(decided, _account.DecideSettings(part.Symbol, new PositionSettings(mode, part.Leverage), _markets, _thresholds));
                }

                Take(decided, _account.DecideFill(new Fill(part.FillId, part.Symbol, ContractEnums.ToDomain(part.Side), part.Quantity, part.Price, part.Fee), market));
                if (_markets.MarkOf(part.Symbol) is null)
                {
                    _markets.SetMark(new MarkUpdate(part.Symbol, part.Price, 0, _clock.GetUtcNow(), market.Version, Stale: true));
                }
            }
        }
        catch (DomainException error)
        {
            Rebuild(decided);
            return Errors.Fail<AccountMarginView>(error);
        }

        if (decided.Count == 0)
        {
            return CommandResult<AccountMarginView>.Ok(MarginView(_account), replayed: true);
        }

        var stored = decided.Select(e => new StoredEvent(e, _clock.GetUtcNow())).ToList();
        try
        {
            await _log.Append(Stream, versionBefore, stored);
        }
        catch (EventLogUnavailableException error)
        {
            Rebuild(decided);
            DeactivateOnIdle();
            return Errors.Unavailable<AccountMarginView>(error);
        }
        catch
        {
            Rebuild(decided);
            throw;
        }

        _events.AddRange(stored);
        CountIfExists();
        foreach (var symbol in _account.Positions.Keys.Where(s => !held.Contains(s)))
        {
            await GrainFactory.GetGrain<IMarketShardGrain>(MarketShards.KeyFor(symbol, Id)).Join(Id);
        }

        await Evaluate(escalate: true);
        return CommandResult<AccountMarginView>.Ok(MarginView(_account));
    }

    private void Take(List<AccountEvent> decided, AccountEvent? accountEvent)
    {
        if (accountEvent is not null)
        {
            _account.Apply(accountEvent);
            decided.Add(accountEvent);
        }
    }

    /// <summary>Drops what an unfinished opening applied: the account again as its stored events say.</summary>
    private void Rebuild(List<AccountEvent> decided)
    {
        if (decided.Count == 0)
        {
            return;
        }

        _account = new Account(Id);
        foreach (var stored in _events)
        {
            _account.Apply((AccountEvent)stored.Event);
        }
    }
}
