using System;
using System.Collections.Generic;

namespace NetGen.Runtime.Tests.Kernels.Convolution;

/// <summary>An integer as a type, so that a shape struct built from it at run time has it as a constant.</summary>
public interface IConstant
{
    int Value { get; }
}

/// <summary>
/// The integers 0 to 64 as types (<see cref="Of"/> finds one by value). The kernel tests close
/// <see cref="ConvolutionShape{TInChannels, TOutChannels, TGroups, TInputHeight, TInputWidth, TKernelHeight, TKernelWidth, TStrideHeight, TStrideWidth, TPaddingHeight, TPaddingWidth, TDilationHeight, TDilationWidth, TOffset}"/>
/// over them for each fixture, so the JIT compiles each case's kernels with its sizes folded in, as it
/// does for a generated network's layer shapes.
/// </summary>
public static class Constants
{
    public static Type Of(int value)
    {
        if (value < 0 || value >= Types.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"Only 0 to {Types.Length - 1} have a type here: add more to Constants.cs.");
        }
        return Types[value];
    }

    private static readonly Type[] Types =
    {
        typeof(C0),
        typeof(C1),
        typeof(C2),
        typeof(C3),
        typeof(C4),
        typeof(C5),
        typeof(C6),
        typeof(C7),
        typeof(C8),
        typeof(C9),
        typeof(C10),
        typeof(C11),
        typeof(C12),
        typeof(C13),
        typeof(C14),
        typeof(C15),
        typeof(C16),
        typeof(C17),
        typeof(C18),
        typeof(C19),
        typeof(C20),
        typeof(C21),
        typeof(C22),
        typeof(C23),
        typeof(C24),
        typeof(C25),
        typeof(C26),
        typeof(C27),
        typeof(C28),
        typeof(C29),
        typeof(C30),
        typeof(C31),
        typeof(C32),
        typeof(C33),
        typeof(C34),
        typeof(C35),
        typeof(C36),
        typeof(C37),
        typeof(C38),
        typeof(C39),
        typeof(C40),
        typeof(C41),
        typeof(C42),
        typeof(C43),
        typeof(C44),
        typeof(C45),
        typeof(C46),
        typeof(C47),
        typeof(C48),
        typeof(C49),
        typeof(C50),
        typeof(C51),
        typeof(C52),
        typeof(C53),
        typeof(C54),
        typeof(C55),
        typeof(C56),
        typeof(C57),
        typeof(C58),
        typeof(C59),
        typeof(C60),
        typeof(C61),
        typeof(C62),
        typeof(C63),
        typeof(C64),
    };
}

public readonly struct C0 : IConstant { public int Value => 0; }

public readonly struct C1 : IConstant { public int Value => 1; }

public readonly struct C2 : IConstant { public int Value => 2; }

public readonly struct C3 : IConstant { public int Value => 3; }

public readonly struct C4 : IConstant { public int Value => 4; }

public readonly struct C5 : IConstant { public int Value => 5; }

public readonly struct C6 : IConstant { public int Value => 6; }

public readonly struct C7 : IConstant { public int Value => 7; }

public readonly struct C8 : IConstant { public int Value => 8; }

public readonly struct C9 : IConstant { public int Value => 9; }

public readonly struct C10 : IConstant { public int Value => 10; }

public readonly struct C11 : IConstant { public int Value => 11; }

public readonly struct C12 : IConstant { public int Value => 12; }

public readonly struct C13 : IConstant { public int Value => 13; }

public readonly struct C14 : IConstant { public int Value => 14; }

public readonly struct C15 : IConstant { public int Value => 15; }

public readonly struct C16 : IConstant { public int Value => 16; }

public readonly struct C17 : IConstant { public int Value => 17; }

public readonly struct C18 : IConstant { public int Value => 18; }

public readonly struct C19 : IConstant { public int Value => 19; }

public readonly struct C20 : IConstant { public int Value => 20; }

public readonly struct C21 : IConstant { public int Value => 21; }

public readonly struct C22 : IConstant { public int Value => 22; }

public readonly struct C23 : IConstant { public int Value => 23; }

public readonly struct C24 : IConstant { public int Value => 24; }

public readonly struct C25 : IConstant { public int Value => 25; }

public readonly struct C26 : IConstant { public int Value => 26; }

public readonly struct C27 : IConstant { public int Value => 27; }

public readonly struct C28 : IConstant { public int Value => 28; }

public readonly struct C29 : IConstant { public int Value => 29; }

public readonly struct C30 : IConstant { public int Value => 30; }

public readonly struct C31 : IConstant { public int Value => 31; }

public readonly struct C32 : IConstant { public int Value => 32; }

public readonly struct C33 : IConstant { public int Value => 33; }

public readonly struct C34 : IConstant { public int Value => 34; }

public readonly struct C35 : IConstant { public int Value => 35; }

public readonly struct C36 : IConstant { public int Value => 36; }

public readonly struct C37 : IConstant { public int Value => 37; }

public readonly struct C38 : IConstant { public int Value => 38; }

public readonly struct C39 : IConstant { public int Value => 39; }

public readonly struct C40 : IConstant { public int Value => 40; }

public readonly struct C41 : IConstant { public int Value => 41; }

public readonly struct C42 : IConstant { public int Value => 42; }

public readonly struct C43 : IConstant { public int Value => 43; }

public readonly struct C44 : IConstant { public int Value => 44; }

public readonly struct C45 : IConstant { public int Value => 45; }

public readonly struct C46 : IConstant { public int Value => 46; }

public readonly struct C47 : IConstant { public int Value => 47; }

public readonly struct C48 : IConstant { public int Value => 48; }

public readonly struct C49 : IConstant { public int Value => 49; }

public readonly struct C50 : IConstant { public int Value => 50; }

public readonly struct C51 : IConstant { public int Value => 51; }

public readonly struct C52 : IConstant { public int Value => 52; }

public readonly struct C53 : IConstant { public int Value => 53; }

public readonly struct C54 : IConstant { public int Value => 54; }

public readonly struct C55 : IConstant { public int Value => 55; }

public readonly struct C56 : IConstant { public int Value => 56; }

public readonly struct C57 : IConstant { public int Value => 57; }

public readonly struct C58 : IConstant { public int Value => 58; }

public readonly struct C59 : IConstant { public int Value => 59; }

public readonly struct C60 : IConstant { public int Value => 60; }

public readonly struct C61 : IConstant { public int Value => 61; }

public readonly struct C62 : IConstant { public int Value => 62; }

public readonly struct C63 : IConstant { public int Value => 63; }

public readonly struct C64 : IConstant { public int Value => 64; }

