using MarginGrid.Domain.Accounts;
using MarginGrid.Domain.Common;

namespace MarginGrid.Grains.Accounts;

/// <summary>
/// Decisions on money that need fresh marks (withdrawals, isolated-margin removal, order checks, max-order,
/// what-if) are refused with <c>mark_stale</c> while a mark they value is stale: after a cold start before the
/// feed resumes, or during a feed halt. Deposits, fills, top-ups and reads go on; a replay answers as before.
/// </summary>
public sealed partial class AccountGrain
{
    private void RequireFreshMarks(IEnumerable<string> symbols) =>
        _markets.RequireFresh(symbols, _clock.GetUtcNow(), _markMaxAge);

    /// <summary>
    /// Decides, then refuses a new event valued at a stale mark. A refusal by the rules is also reported as
    /// <c>mark_stale</c> then, since it was judged at a stale price; a replay (no event) or bad input is not.
    /// </summary>
    private Func<AccountEvent?> OnFreshMarks(Func<AccountEvent?> decide, Func<IEnumerable<string>> symbols) => () =>
    {
        AccountEvent? decided;
        try
        {
            decided = decide();
        }
        catch (DomainException error) when (error.Kind == DomainErrorKind.RuleViolation)
        {
            RequireFreshMarks(symbols());
            throw;
        }

        if (decided is not null)
        {
            RequireFreshMarks(symbols());
        }

        return decided;
    };
}
