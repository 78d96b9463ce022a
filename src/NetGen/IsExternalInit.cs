#if NETSTANDARD2_1
namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Lets the compiler emit <c>init</c> accessors (and so records) for netstandard2.1, which lacks
    /// this marker type; net5.0 and later have their own.
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
#endif
