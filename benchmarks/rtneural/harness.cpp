// RTNeural's side of NetGen's per-call comparisons (issue 21's dense table, issue 18's per-step table),
// built by run.sh against RTNeural's public repository at a pinned commit; nothing of RTNeural is in
// this repository. It reads what NetGen's benchmark program writes, so both compute with the same
// numbers, prints its outputs for run.sh to compare with NetGen's, and times itself with the same loop
// as NetGen's side (RTNeuralShapes.cs, RTNeuralSteps.cs): process CPU time, the median of 7 repeats
// after 2 warm-up repeats.
//
//   harness dense FILE NAME outputs|time [CALLS]   a network of models/rtneural-shapes.txt
//   harness step FILE outputs|time [STEPS]         a file from --rtneural-step-export
#include <RTNeural/RTNeural.h>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

namespace
{
double cpuNanoseconds()
{
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec * 1e9 + (double)t.tv_nsec;
}

// The median time per call of `calls` calls of `call(c)`, as NetGen's side measures it.
template <typename Call>
double medianNanoseconds(long calls, Call&& call)
{
    std::vector<double> times;
    for (int r = -2; r < 7; r++)
    {
        double start = cpuNanoseconds();
        for (long c = 0; c < calls; c++)
            call(c);
        double elapsed = cpuNanoseconds() - start;
        if (r >= 0)
            times.push_back(elapsed / (double)calls);
    }
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

std::vector<float> readValues(std::ifstream& in, const char* keyword)
{
    std::string word;
    long count = 0;
    if (!(in >> word >> count) || word != keyword)
        throw std::runtime_error(std::string("expected \"") + keyword + " N\"");
    std::vector<float> values((size_t)count);
    for (float& v : values)
        in >> v;
    return values;
}

// ---- Dense networks: models/rtneural-shapes.txt ("network NAME", "parameters N", "inputs N"). ----

constexpr int TestInputs = 16;

// Per Linear layer, weights row-major [outputs, inputs] then bias (PyTorch's layout), into a DenseT.
template <typename Dense>
void loadDense(Dense& dense, const std::vector<float>& parameters, size_t& at)
{
    std::vector<std::vector<float>> weights(Dense::out_size, std::vector<float>(Dense::in_size));
    for (auto& row : weights)
        for (float& w : row)
            w = parameters.at(at++);
    dense.setWeights(weights);
    dense.setBias(&parameters.at(at));
    at += Dense::out_size;
}

template <int In, int Width, int Out, template <typename, int> class Activation>
struct DenseNetwork
{
    using Model = RTNeural::ModelT<float, In, Out,
        RTNeural::DenseT<float, In, Width>, Activation<float, Width>,
        RTNeural::DenseT<float, Width, Width>, Activation<float, Width>,
        RTNeural::DenseT<float, Width, Out>>;

    static int run(const std::vector<float>& parameters, const std::vector<float>& inputs, const std::string& mode, long calls)
    {
        static Model model; // static: aligned members without an aligned heap allocation
        size_t at = 0;
        loadDense(model.template get<0>(), parameters, at);
        loadDense(model.template get<2>(), parameters, at);
        loadDense(model.template get<4>(), parameters, at);
        if (at != parameters.size())
            throw std::runtime_error("parameter count does not match the network");
        // Each test input in its own 64-byte-aligned slot, as NetGen's side reads them.
        constexpr int Slot = ((In + 15) / 16) * 16;
        alignas(64) static float slots[TestInputs * Slot];
        for (int s = 0; s < TestInputs; s++)
            std::copy_n(&inputs.at((size_t)s * In), In, &slots[s * Slot]);
        if (mode == "outputs")
        {
            for (int s = 0; s < TestInputs; s++)
            {
                model.reset();
                model.forward(&slots[s * Slot]);
                for (int o = 0; o < Out; o++)
                    std::printf("%.9g\n", (double)model.getOutputs()[o]);
            }
            return 0;
        }
        float sink = 0;
        double ns = medianNanoseconds(calls, [&](long c) { sink += model.forward(&slots[(c & (TestInputs - 1)) * Slot]); });
        std::printf("%.2f ns/call%s\n", ns, sink != sink ? " (NaN output)" : "");
        return 0;
    }
};

int dense(const char* path, const std::string& name, const std::string& mode, long calls)
{
    std::ifstream in(path);
    std::string word, found;
    while (in >> word >> found)
    {
        if (word != "network")
            throw std::runtime_error("expected \"network NAME\"");
        std::vector<float> parameters = readValues(in, "parameters");
        std::vector<float> inputs = readValues(in, "inputs");
        if (found != name)
            continue;
        if (name == "1-16-16-1") return DenseNetwork<1, 16, 1, RTNeural::ReLuActivationT>::run(parameters, inputs, mode, calls);
        if (name == "8-8-8-8") return DenseNetwork<8, 8, 8, RTNeural::TanhActivationT>::run(parameters, inputs, mode, calls);
        if (name == "16-16-16-16") return DenseNetwork<16, 16, 16, RTNeural::TanhActivationT>::run(parameters, inputs, mode, calls);
        if (name == "32-32-32-32") return DenseNetwork<32, 32, 32, RTNeural::TanhActivationT>::run(parameters, inputs, mode, calls);
        if (name == "64-64-64-64") return DenseNetwork<64, 64, 64, RTNeural::TanhActivationT>::run(parameters, inputs, mode, calls);
        throw std::runtime_error("no RTNeural model for network " + name);
    }
    throw std::runtime_error("network " + name + " is not in the file");
}

// ---- Recurrent steps: --rtneural-step-export's file ("network NAME KIND HIDDEN", "tensor NAME ROWS COLUMNS", "signal N"). ----

struct StepFile
{
    std::string kind;
    int hidden = 0;
    nlohmann::json stateDict; // as PyTorch's state_dict of a module holding "rnn" (nn.GRU or nn.LSTM) and "dense" (nn.Linear)
    std::vector<float> signal;
};

StepFile readStepFile(const char* path)
{
    std::ifstream in(path);
    StepFile file;
    std::string word, name;
    if (!(in >> word >> name >> file.kind >> file.hidden) || word != "network")
        throw std::runtime_error("expected \"network NAME KIND HIDDEN\"");
    while (in >> word)
    {
        if (word == "signal")
        {
            long n = 0;
            in >> n;
            file.signal.resize((size_t)n);
            for (float& v : file.signal)
                in >> v;
            continue;
        }
        if (word != "tensor")
            throw std::runtime_error("expected \"tensor\" or \"signal\", found " + word);
        std::string tensor;
        int rows = 0, columns = 0;
        in >> tensor >> rows >> columns;
        std::vector<std::vector<float>> values((size_t)rows, std::vector<float>((size_t)columns));
        for (auto& row : values)
            for (float& v : row)
                in >> v;
        // NetGen names a recurrent tensor within its layer (weight_ih); PyTorch's nn.GRU adds the layer index.
        bool recurrent = tensor.rfind("dense.", 0) != 0;
        std::string key = recurrent ? "rnn." + tensor + "_l0" : tensor;
        bool vector = tensor.find("bias") != std::string::npos;
        if (vector)
            file.stateDict[key] = values.at(0);
        else
            file.stateDict[key] = values;
    }
    if (file.signal.size() != 64)
        throw std::runtime_error("the signal must have 64 samples");
    return file;
}

template <typename Model, bool IsGru>
int runStep(const StepFile& file, const std::string& mode, long steps)
{
    static Model model;
    if constexpr (IsGru)
        RTNeural::torch_helpers::loadGRU<float>(file.stateDict, "rnn.", model.template get<0>());
    else
        RTNeural::torch_helpers::loadLSTM<float>(file.stateDict, "rnn.", model.template get<0>());
    RTNeural::torch_helpers::loadDense<float>(file.stateDict, "dense.", model.template get<1>());
    model.reset();
    alignas(64) static float signal[64];
    std::copy(file.signal.begin(), file.signal.end(), signal);
    if (mode == "outputs")
    {
        for (int t = 0; t < 128; t++)
            std::printf("%.9g\n", (double)model.forward(&signal[t & 63]));
        return 0;
    }
    float sink = 0;
    double ns = medianNanoseconds(steps, [&](long t) { sink += model.forward(&signal[t & 63]); });
    std::printf("%.2f ns/step%s\n", ns, sink != sink ? " (NaN output)" : "");
    return 0;
}

template <int Hidden>
int step(const StepFile& file, const std::string& mode, long steps)
{
    using Gru = RTNeural::ModelT<float, 1, 1, RTNeural::GRULayerT<float, 1, Hidden>, RTNeural::DenseT<float, Hidden, 1>>;
    using Lstm = RTNeural::ModelT<float, 1, 1, RTNeural::LSTMLayerT<float, 1, Hidden>, RTNeural::DenseT<float, Hidden, 1>>;
    return file.kind == "gru" ? runStep<Gru, true>(file, mode, steps) : runStep<Lstm, false>(file, mode, steps);
}
} // namespace

int main(int argc, char** argv)
{
    try
    {
        std::string what = argc > 1 ? argv[1] : "";
        if (what == "dense" && argc >= 5)
            return dense(argv[2], argv[3], argv[4], argc > 5 ? std::atol(argv[5]) : 2000000);
        if (what == "step" && argc >= 4)
        {
            StepFile file = readStepFile(argv[2]);
            long steps = argc > 4 ? std::atol(argv[4]) : 2000000;
            switch (file.hidden)
            {
                case 8: return step<8>(file, argv[3], steps);
                case 16: return step<16>(file, argv[3], steps);
                case 32: return step<32>(file, argv[3], steps);
                case 64: return step<64>(file, argv[3], steps);
                default: throw std::runtime_error("hidden size " + std::to_string(file.hidden) + " has no RTNeural model here");
            }
        }
        std::fprintf(stderr, "usage: %s dense FILE NAME outputs|time [CALLS] | step FILE outputs|time [STEPS]\n", argv[0]);
        return 2;
    }
    catch (const std::exception& e)
    {
        std::fprintf(stderr, "harness: %s\n", e.what());
        return 1;
    }
}
