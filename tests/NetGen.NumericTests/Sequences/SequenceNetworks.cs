using NetGen;

// The sequence networks under test: the PyTorch cases of tests/fixtures/pytorch/make_sequence_reference.py
// in float and in double (a num_layers=2 module is two consecutive attributes), and a deterministic one.

namespace NetGen.NumericTests.Sequences
{
    [Network] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class SeqGruMseFloat { }

    [Network(typeof(double))] [GRU(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class SeqGruMseDouble { }

    [Network] [GRU(4, 7)] [GRU(7, 7)] [Linear(7, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqGruStackedCeFloat { }

    [Network(typeof(double))] [GRU(4, 7)] [GRU(7, 7)] [Linear(7, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqGruStackedCeDouble { }

    [Network] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class SeqLstmMseFloat { }

    [Network(typeof(double))] [LSTM(3, 5)] [Linear(5, 2)] [MSELoss]
    public partial class SeqLstmMseDouble { }

    [Network] [LSTM(3, 7)] [LSTM(7, 7)] [Tanh] [Linear(7, 4)] [MSELoss]
    public partial class SeqLstmStackedTanhFloat { }

    [Network(typeof(double))] [LSTM(3, 7)] [LSTM(7, 7)] [Tanh] [Linear(7, 4)] [MSELoss]
    public partial class SeqLstmStackedTanhDouble { }

    [Network] [GRU(9, 19)] [ReLU] [Linear(19, 3)] [MSELoss]
    public partial class SeqGruWideFloat { }

    [Network(typeof(double))] [GRU(9, 19)] [ReLU] [Linear(19, 3)] [MSELoss]
    public partial class SeqGruWideDouble { }

    [Network] [Linear(5, 6)] [Tanh] [GRU(6, 9)] [LSTM(9, 5)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqMixedCeFloat { }

    [Network(typeof(double))] [Linear(5, 6)] [Tanh] [GRU(6, 9)] [LSTM(9, 5)] [Linear(5, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqMixedCeDouble { }

    [Network] [GRU(1, 16)] [GRU(16, 16)] [GRU(16, 8)] [GRU(8, 16)] [Linear(16, 2)] [MSELoss]
    public partial class SeqGruLanesFloat { }

    [Network(typeof(double))] [GRU(1, 16)] [GRU(16, 16)] [GRU(16, 8)] [GRU(8, 16)] [Linear(16, 2)] [MSELoss]
    public partial class SeqGruLanesDouble { }

    [Network] [LSTM(1, 16)] [LSTM(16, 16)] [LSTM(16, 8)] [LSTM(8, 16)] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqLstmLanesFloat { }

    [Network(typeof(double))] [LSTM(1, 16)] [LSTM(16, 16)] [LSTM(16, 8)] [LSTM(8, 16)] [Linear(16, 3)] [Softmax] [CrossEntropyLoss]
    public partial class SeqLstmLanesDouble { }

    [Network] [GRU(3, 16)] [Linear(16, 20)] [Tanh] [LSTM(20, 16)] [Linear(16, 5)] [Tanh] [GRU(5, 8)] [Linear(8, 2)] [MSELoss]
    public partial class SeqLanesOddInputsFloat { }

    [Network(typeof(double))] [GRU(3, 16)] [Linear(16, 20)] [Tanh] [LSTM(20, 16)] [Linear(16, 5)] [Tanh] [GRU(5, 8)] [Linear(8, 2)] [MSELoss]
    public partial class SeqLanesOddInputsDouble { }

    // Too wide for a step's scratch on the stack (64 KB): Step of one sequence and of many rent it from the pool.
    [Network] [Linear(9000, 4)] [Tanh] [GRU(4, 8)] [Linear(8, 2)] [MSELoss]
    public partial class SeqVeryWideInput { }

    // The contract's smallest sequence network: a recurrent layer alone states its input.
    [Network] [GRU(8, 8)]
    public partial class SeqGruAlone { }

    // Deterministic: the same bits in every vector configuration (DeterminismTests-style golden hash).
    [Network(Deterministic = true)] [LSTM(3, 17)] [GRU(17, 9)] [ReLU] [Linear(9, 2)] [Softmax] [CrossEntropyLoss]
    public partial class SeqDeterministicFloat { }

    [Network(typeof(double), Deterministic = true)] [GRU(4, 11)] [Tanh] [Linear(11, 3)] [MSELoss]
    public partial class SeqDeterministicDouble { }
}
