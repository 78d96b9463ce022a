#if NETSTANDARD
namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Lets the compiler emit <c>init</c> accessors (and so records) for netstandard2.0 and 2.1, which lack
    /// this marker type; net5.0 and later have their own.
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
#endif
