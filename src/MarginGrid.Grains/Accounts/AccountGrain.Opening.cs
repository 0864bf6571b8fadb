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
/// Opening an account in one command: every part is decided in order against a draft of the account as the
/// earlier parts left it, then all the events are appended at once and applied only once durable, as every
/// other command is. A refusal leaves the account untouched; a failed append deactivates it like any commit.
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
        try
        {
            ArgumentNullException.ThrowIfNull(opening);
            Require.That(opening.Deposits.Length + opening.Positions.Length is > 0 and <= MaxOpeningParts, ErrorCodes.InvalidArgument,
                $"An opening has 1 to {MaxOpeningParts} deposits and positions (had {opening.Deposits.Length + opening.Positions.Length}).");

            // Later parts are decided against what earlier parts did, on a copy: the account itself changes only after the append.
            var draft = Account.FromSnapshot(_account.Snapshot());
            foreach (var deposit in opening.Deposits)
            {
                Take(draft, decided, draft.DecideDeposit(deposit.TransferId, deposit.Asset, deposit.Amount));
            }

            foreach (var part in opening.Positions)
            {
                var market = await EnsureMarket(part.Symbol);
                var mode = ContractEnums.ToDomain(part.MarginMode);
                if (!draft.HasApplied($"fill:{part.FillId}"))
                {
                    Take(draft, decided, draft.DecideSettings(part.Symbol, new PositionSettings(mode, part.Leverage), _markets, _thresholds));
                }

                Take(draft, decided, draft.DecideFill(new Fill(part.FillId, part.Symbol, ContractEnums.ToDomain(part.Side), part.Quantity, part.Price, part.Fee), market));
                if (_markets.MarkOf(part.Symbol) is null)
                {
                    _markets.SetMark(new MarkUpdate(part.Symbol, part.Price, 0, _clock.GetUtcNow(), market.Version, Stale: true));
                }
            }
        }
        catch (DomainException error)
        {
            return Errors.Fail<AccountMarginView>(error);
        }

        if (decided.Count == 0)
        {
            return CommandResult<AccountMarginView>.Ok(MarginView(_account), replayed: true);
        }

        try
        {
            await Commit(decided);
        }
        catch (EventLogUnavailableException error)
        {
            return Errors.Unavailable<AccountMarginView>(error);
        }

        await Evaluate(escalate: true);
        return CommandResult<AccountMarginView>.Ok(MarginView(_account));
    }

    private static void Take(Account draft, List<AccountEvent> decided, AccountEvent? accountEvent)
    {
        if (accountEvent is not null)
        {
            draft.Apply(accountEvent);
            decided.Add(accountEvent);
        }
    }
}
