using MarginGrid.Domain.Common;
using MarginGrid.Grains.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;

namespace MarginGrid.Silo.Api;

/// <summary>
/// A refusal of the rules thrown by a read or a step (not returned as a command result), from this silo or
/// another: the same problem, status and code a command's refusal gets, never a 500.
/// </summary>
public sealed class DomainExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        for (var error = exception; error is not null; error = error.InnerException)
        {
            if (error is DomainException refusal)
            {
                await Problems.Of(Errors.From(refusal)).ExecuteAsync(httpContext);
                return true;
            }
        }

        return false;
    }
}
