"""GPT-2 and BERT for training, with HF transformers' parameter names and weight layouts.

The exported state dicts load unchanged in lmserve's engine (and in transformers' GPT2LMHeadModel /
BertForMaskedLM): GPT-2 projections are Conv1D ([in, out] weights, x @ W + b), BERT's are nn.Linear
([out, in]); the output layers are tied to the word embeddings. Dropout is left out: one or two
epochs over the corpus do not overfit these sizes, and leaving it out keeps runs reproducible.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

INIT_STD = 0.02


def causal_self_attention(q, k, v, n_head, causal, key_mask=None):
    """q, k, v: [B, T, C] -> [B, T, C]; softmax(q k^T / sqrt(d)) v per head."""
    b, t, c = q.shape
    d = c // n_head
    q, k, v = (x.view(b, t, n_head, d).transpose(1, 2) for x in (q, k, v))
    scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(d)
    if causal:
        allowed = torch.ones(t, t, dtype=torch.bool).tril()
        scores = scores.masked_fill(~allowed, torch.finfo(scores.dtype).min)
    if key_mask is not None:
        scores = scores.masked_fill(~key_mask[:, None, None, :], torch.finfo(scores.dtype).min)
    out = torch.matmul(F.softmax(scores, dim=-1), v)
    return out.transpose(1, 2).reshape(b, t, c)


# ============================================================================ GPT-2
class Conv1D(nn.Module):
    """HF's Conv1D: weight [in, out]."""

    def __init__(self, n_in, n_out, std=INIT_STD):
        super().__init__()
        self.weight = nn.Parameter(torch.randn(n_in, n_out) * std)
        self.bias = nn.Parameter(torch.zeros(n_out))

    def forward(self, x):
        return torch.addmm(self.bias, x.reshape(-1, x.shape[-1]), self.weight).view(*x.shape[:-1], -1)


class GptAttention(nn.Module):
    def __init__(self, d, n_head, proj_std):
        super().__init__()
        self.n_head = n_head
        self.c_attn = Conv1D(d, 3 * d)
        self.c_proj = Conv1D(d, d, proj_std)

    def forward(self, x):
        q, k, v = self.c_attn(x).split(x.shape[-1], dim=2)
        return self.c_proj(causal_self_attention(q, k, v, self.n_head, causal=True))


class GptMlp(nn.Module):
    def __init__(self, d, inner, proj_std):
        super().__init__()
        self.c_fc = Conv1D(d, inner)
        self.c_proj = Conv1D(inner, d, proj_std)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x), approximate="tanh"))


class GptBlock(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d, eps = cfg["n_embd"], cfg["layer_norm_epsilon"]
        # GPT-2's scaled init of the projections that add into the residual stream
        proj_std = INIT_STD / math.sqrt(2 * cfg["n_layer"])
        self.ln_1 = nn.LayerNorm(d, eps=eps)
        self.attn = GptAttention(d, cfg["n_head"], proj_std)
        self.ln_2 = nn.LayerNorm(d, eps=eps)
        self.mlp = GptMlp(d, cfg["n_inner"], proj_std)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GptBody(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.wte = nn.Embedding(cfg["vocab_size"], cfg["n_embd"])
        self.wpe = nn.Embedding(cfg["n_positions"], cfg["n_embd"])
        for emb in (self.wte, self.wpe):
            nn.init.normal_(emb.weight, std=INIT_STD)
        self.h = nn.ModuleList([GptBlock(cfg) for _ in range(cfg["n_layer"])])
        self.ln_f = nn.LayerNorm(cfg["n_embd"], eps=cfg["layer_norm_epsilon"])

    def forward(self, ids):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.h:
            x = block(x)
        return self.ln_f(x)


class GptLm(nn.Module):
    """GPT2LMHeadModel: state dict keys transformer.*, head tied to transformer.wte."""

    def __init__(self, cfg):
        super().__init__()
        self.transformer = GptBody(cfg)

    def forward(self, ids):
        return F.linear(self.transformer(ids), self.transformer.wte.weight)

    def loss(self, ids):
        """Mean next-token cross-entropy over ids [B, T] (T-1 predictions per row)."""
        logits = self(ids[:, :-1])
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), ids[:, 1:].reshape(-1))


def gpt_config(vocab_size, n_embd, n_layer, n_head, n_positions, bos_eos_id):
    """config.json as transformers' GPT2Config.save_pretrained writes it (the keys that matter)."""
    return {
        "architectures": ["GPT2LMHeadModel"],
        "model_type": "gpt2",
        "vocab_size": vocab_size,
        "n_positions": n_positions,
        "n_ctx": n_positions,
        "n_embd": n_embd,
        "n_layer": n_layer,
        "n_head": n_head,
        "n_inner": 4 * n_embd,
        "activation_function": "gelu_pytorch_tanh",
        "layer_norm_epsilon": 1e-5,
        "initializer_range": INIT_STD,
        "resid_pdrop": 0.0,
        "embd_pdrop": 0.0,
        "attn_pdrop": 0.0,
        "scale_attn_weights": True,
        "scale_attn_by_inverse_layer_idx": False,
        "reorder_and_upcast_attn": False,
        "tie_word_embeddings": True,
        "bos_token_id": bos_eos_id,
        "eos_token_id": bos_eos_id,
        "use_cache": True,
        "torch_dtype": "float16",
    }


# ============================================================================ BERT
def sinusoids(positions, d):
    """The Transformer's sine/cosine position table, scaled to the embeddings' initial spread.

    Only a starting point (the table is trained like any weight) meant to make relative offsets
    visible from step 0; in the runs made for bert-kjv it changed the loss curve little (see its card)."""
    pos = torch.arange(positions, dtype=torch.float32)[:, None]
    rate = torch.exp(torch.arange(0, d, 2, dtype=torch.float32) * (-math.log(10000.0) / d))
    table = torch.zeros(positions, d)
    table[:, 0::2] = torch.sin(pos * rate)
    table[:, 1::2] = torch.cos(pos * rate)
    return table * INIT_STD * math.sqrt(2)


class BertEmbeddings(nn.Module):
    def __init__(self, cfg, sinusoidal_positions=False):
        super().__init__()
        d = cfg["hidden_size"]
        self.word_embeddings = nn.Embedding(cfg["vocab_size"], d)
        self.position_embeddings = nn.Embedding(cfg["max_position_embeddings"], d)
        self.token_type_embeddings = nn.Embedding(cfg["type_vocab_size"], d)
        for emb in (self.word_embeddings, self.position_embeddings, self.token_type_embeddings):
            nn.init.normal_(emb.weight, std=INIT_STD)
        if sinusoidal_positions:
            with torch.no_grad():
                self.position_embeddings.weight.copy_(sinusoids(cfg["max_position_embeddings"], d))
        self.LayerNorm = nn.LayerNorm(d, eps=cfg["layer_norm_eps"])

    def forward(self, ids):
        x = self.word_embeddings(ids) + self.token_type_embeddings(torch.zeros_like(ids))
        return self.LayerNorm(x + self.position_embeddings(torch.arange(ids.shape[1])))


def linear(n_in, n_out):
    layer = nn.Linear(n_in, n_out)
    nn.init.normal_(layer.weight, std=INIT_STD)
    nn.init.zeros_(layer.bias)
    return layer


class DenseNorm(nn.Module):
    """BertSelfOutput / BertOutput: LayerNorm(dense(x) + residual)."""

    def __init__(self, n_in, d, eps):
        super().__init__()
        self.dense = linear(n_in, d)
        self.LayerNorm = nn.LayerNorm(d, eps=eps)

    def forward(self, x, residual):
        return self.LayerNorm(self.dense(x) + residual)


class BertSelf(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.query, self.key, self.value = linear(d, d), linear(d, d), linear(d, d)


class BertAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["hidden_size"]
        self.n_head = cfg["num_attention_heads"]
        self.self = BertSelf(d)
        self.output = DenseNorm(d, d, cfg["layer_norm_eps"])

    def forward(self, x):
        s = self.self
        a = causal_self_attention(s.query(x), s.key(x), s.value(x), self.n_head, causal=False)
        return self.output(a, x)


class BertIntermediate(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.dense = linear(cfg["hidden_size"], cfg["intermediate_size"])


class BertLayer(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention = BertAttention(cfg)
        self.intermediate = BertIntermediate(cfg)
        self.output = DenseNorm(cfg["intermediate_size"], cfg["hidden_size"], cfg["layer_norm_eps"])

    def forward(self, x):
        a = self.attention(x)
        return self.output(F.gelu(self.intermediate.dense(a)), a)


class BertEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.layer = nn.ModuleList([BertLayer(cfg) for _ in range(cfg["num_hidden_layers"])])


class BertBody(nn.Module):
    def __init__(self, cfg, sinusoidal_positions=False):
        super().__init__()
        self.embeddings = BertEmbeddings(cfg, sinusoidal_positions)
        self.encoder = BertEncoder(cfg)

    def forward(self, ids):
        x = self.embeddings(ids)
        for layer in self.encoder.layer:
            x = layer(x)
        return x


class BertTransform(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg["hidden_size"]
        self.dense = linear(d, d)
        self.LayerNorm = nn.LayerNorm(d, eps=cfg["layer_norm_eps"])


class BertPredictions(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.transform = BertTransform(cfg)
        self.bias = nn.Parameter(torch.zeros(cfg["vocab_size"]))


class BertHead(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.predictions = BertPredictions(cfg)


class BertMlm(nn.Module):
    """BertForMaskedLM: keys bert.* and cls.predictions.*, decoder tied to the word embeddings."""

    def __init__(self, cfg, sinusoidal_positions=False):
        super().__init__()
        self.bert = BertBody(cfg, sinusoidal_positions)
        self.cls = BertHead(cfg)

    def logits_at(self, ids, positions):
        """MLM logits [N, V] at the flat positions (row * T + t) of ids [B, T]."""
        x = self.bert(ids)
        x = x.reshape(-1, x.shape[-1])[positions]
        t = self.cls.predictions.transform
        x = t.LayerNorm(F.gelu(t.dense(x)))
        return F.linear(x, self.bert.embeddings.word_embeddings.weight, self.cls.predictions.bias)

    def loss(self, ids, positions, labels):
        return F.cross_entropy(self.logits_at(ids, positions), labels)


def bert_config(vocab_size, hidden, layers, heads, max_positions, pad_id, mask_id):
    """config.json as transformers' BertConfig.save_pretrained writes it (the keys that matter)."""
    return {
        "architectures": ["BertForMaskedLM"],
        "model_type": "bert",
        "vocab_size": vocab_size,
        "hidden_size": hidden,
        "num_hidden_layers": layers,
        "num_attention_heads": heads,
        "intermediate_size": 4 * hidden,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.0,
        "attention_probs_dropout_prob": 0.0,
        "max_position_embeddings": max_positions,
        "type_vocab_size": 2,
        "initializer_range": INIT_STD,
        "layer_norm_eps": 1e-12,
        "pad_token_id": pad_id,
        "mask_token_id": mask_id,
        "position_embedding_type": "absolute",
        "tie_word_embeddings": True,
        "use_cache": True,
        "torch_dtype": "float16",
    }
