using MarginGrid.Abstractions.Common;

namespace MarginGrid.Silo.Api;

/// <summary>The one shape of every command endpoint: check the path id, read the body strictly, send, answer.</summary>
public static class Commands
{
    public static async Task<IResult> Run<TBody, TResult>(IResult? idProblem, HttpContext http, Func<TBody, Task<CommandResult<TResult>>> send)
        where TBody : class, IValidatable
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(send);
        if (idProblem is not null)
        {
            return idProblem;
        }

        var (body, problem) = await Body.Read<TBody>(http.Request);
        return problem ?? Problems.From(http, await send(body!));
    }
}
