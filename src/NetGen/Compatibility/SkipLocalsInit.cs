#if NETSTANDARD
namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// Lets the compiler omit the zeroing of a method's locals and stack buffers on netstandard2.0 and 2.1,
    /// which lack this attribute (net5.0 and later have their own). The compiler honours it by name; a runtime
    /// that zeroes anyway (Mono may) only loses the saving. Every kernel marked with it writes its stack
    /// buffers before it reads them.
    /// </summary>
    [AttributeUsage(AttributeTargets.Module | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Interface | AttributeTargets.Constructor | AttributeTargets.Method | AttributeTargets.Property | AttributeTargets.Event, Inherited = false)]
    internal sealed class SkipLocalsInitAttribute : Attribute
    {
    }
}
#endif
