// Built-in notes (intro and the learn-mode steps) in both languages. Rendered like any note: Markdown +
// KaTeX, sanitised. Text only — the live widgets are the cells that follow each note.
import type { Lang } from '../../lib/i18n/format.ts';

const PRESETS: Record<string, Record<Lang, string>> = {
  intro: {
    en: `**From transactions to a decision.** This notebook loads the CDNOW sample (2,357 customers who first bought in early 1997, 78 weeks of purchases), shows their cohorts, fits retention, purchase and spend models, forecasts each customer's value, and ends with a what-if you can drag.

Every cell recomputes when something above it changes. Add cells from the palette at the bottom, reorder them with the ⠿ handle (drag it, or focus it and press ↑/↓), and press **Share link** to send exactly this view.

The what-if starts from generic inputs; [load the baseline fitted to these CDNOW customers](#scenario=cdnow-fitted) (BG/NBD + Gamma-Gamma from the papers), or pick any scenario of the library in the what-if cell.`,
    zh: `**从交易数据到决策。** 本笔记本载入 CDNOW 样本（2,357 位在 1997 年初首次购买的客户，共 78 周的购买记录），展示同期群，拟合留存、购买和消费金额模型，预测每位客户的价值，最后是一个可以拖动的假设分析。

上方任何内容改变时，下方单元都会重新计算。可在底部的面板中添加单元，用 ⠿ 手柄调整顺序（拖动，或聚焦后按 ↑/↓），点击**分享链接**即可把当前视图原样发给别人。

假设分析从通用输入开始；可以[载入根据这些 CDNOW 客户拟合的基准](#scenario=cdnow-fitted)（论文中的 BG/NBD + Gamma-Gamma），或在假设分析单元中选择情景库里的任一情景。`,
  },
  learn1: {
    en: `## 1. The textbook formula
The simplest customer lifetime value multiplies what a customer spends per order, how often they buy, and for how long:

$$\\text{CLV} = \\text{AOV} \\times \\text{frequency} \\times \\text{lifetime}$$

A shop whose customers spend **\\$50** per order, **3** times a year, for **5** years: $50 \\times 3 \\times 5 = \\$750$. A subscription at **R\\$500** a month (12 payments a year) kept for **4** years: $500 \\times 12 \\times 4 = \\text{R\\$}24{,}000$.

With a constant yearly retention rate $r$, the expected lifetime is $1/(1-r)$ years — 80% retention means 5 years. The widget below is that shop; its headline is the textbook CLV.

> **Predict first:** if retention rises from 80% to 90%, does the textbook CLV rise by 10%, or double? Drag *Retention* below to check.

<details><summary>Reveal the answer</summary>

It doubles: the expected lifetime goes from $1/(1 - 0.8) = 5$ to $1/(1 - 0.9) = 10$ years, so \\$750 becomes $50 \\times 3 \\times 10 = \\$1{,}500$.

</details>`,
    zh: `## 1. 教科书公式
最简单的客户终身价值 = 每单金额 × 购买频次 × 持续时间：

$$\\text{CLV} = \\text{AOV} \\times \\text{频次} \\times \\text{生命周期}$$

客户每单消费 **50 美元**、每年 **3** 次、持续 **5** 年：$50 \\times 3 \\times 5 = \\$750$。每月 **R\\$500** 的订阅（每年 12 次）保持 **4** 年：$500 \\times 12 \\times 4 = \\text{R\\$}24{,}000$。

如果每年留存率固定为 $r$，预期生命周期为 $1/(1-r)$ 年——80% 的留存率意味着 5 年。下方的小工具就是这家店，它的主数字是教科书 CLV。

> **先预测一下：** 留存率从 80% 提高到 90%，教科书 CLV 是增加 10%，还是翻倍？拖动下方的“留存率”来验证。

<details><summary>显示答案</summary>

翻倍：预期生命周期从 $1/(1 - 0.8) = 5$ 年变为 $1/(1 - 0.9) = 10$ 年，750 美元变成 $50 \\times 3 \\times 10 = 1{,}500$ 美元。

</details>`,
  },
  learn2: {
    en: `## 2. Revenue is not profit: gross margin
A customer is worth the **margin** on their purchases, not the revenue. With a 30% gross margin, the \\$750 customer contributes \\$225:

$$\\text{CLV} = m \\cdot \\text{AOV} \\cdot f \\cdot \\text{lifetime} = 0.3 \\times 50 \\times 3 \\times 5 = \\$225$$

The widget below starts at a 30% margin; drag *Gross margin* and watch the CLV follow it in proportion.`,
    zh: `## 2. 收入不等于利润：毛利率
客户的价值是其购买带来的**毛利**，而不是收入。毛利率为 30% 时，那位 750 美元的客户贡献 225 美元：

$$\\text{CLV} = m \\cdot \\text{AOV} \\cdot f \\cdot \\text{生命周期} = 0.3 \\times 50 \\times 3 \\times 5 = 225$$

下方的小工具从 30% 的毛利率开始；拖动“毛利率”，CLV 会按比例变化。`,
  },
  learn3: {
    en: `## 3. Money later is worth less: discounting and churn
Next year's margin is uncertain (the customer may churn, probability $1-r$) and worth less today (discount rate $d$). Summing year by year:

$$\\text{CLV} = \\sum_{t=0}^{H-1} \\frac{m \\cdot \\text{AOV} \\cdot f \\cdot r^t}{(1+d)^t}$$

> **Predict first:** with 30% margin, 80% retention and a 10% discount rate over 5 years, is CLV closer to \\$225 or \\$130?

<details><summary>Reveal the answer</summary>

About \\$131, the headline of the widget below: each year's \\$45 of margin is multiplied by $0.8/1.1 \\approx 0.727$ once more than the year before, $45 + 32.73 + 23.80 + 17.31 + 12.59 \\approx \\$131.43$.

</details>`,
    zh: `## 3. 未来的钱更不值钱：折现与流失
明年的毛利并不确定（客户可能以 $1-r$ 的概率流失），而且折算到今天价值更低（折现率 $d$）。逐年求和：

$$\\text{CLV} = \\sum_{t=0}^{H-1} \\frac{m \\cdot \\text{AOV} \\cdot f \\cdot r^t}{(1+d)^t}$$

> **先预测一下：** 毛利率 30%、留存率 80%、折现率 10%、5 年期，CLV 更接近 225 美元还是 130 美元？

<details><summary>显示答案</summary>

约 131 美元，即下方小工具的主数字：每年 45 美元的毛利，每过一年就再乘以 $0.8/1.1 \\approx 0.727$，$45 + 32.73 + 23.80 + 17.31 + 12.59 \\approx 131.43$ 美元。

</details>`,
  },
  learn4: {
    en: `## 4. Constant churn is a simplification
Real cohorts do not lose the same share every period. The most loyal customers stay; the fragile ones leave early. So the **retention rate of the survivors rises with tenure** even though no individual customer changes.`,
    zh: `## 4. 固定流失率只是一种简化
真实的同期群并不会每期流失相同的比例。最忠诚的客户留下，不稳定的客户很早离开。因此即使每位客户本身没有变化，**幸存者的留存率也会随客户年龄上升**。`,
  },
  learn5: {
    en: `## 5. Heterogeneous retention: the sBG model
The shifted-beta-geometric model (Fader & Hardie 2007) lets each customer have their own churn probability $\\theta$, drawn from a Beta$(\\alpha, \\beta)$ distribution:

$$P(T > t) = \\frac{B(\\alpha, \\beta + t)}{B(\\alpha, \\beta)}, \\qquad r_t = \\frac{\\beta + t - 1}{\\alpha + \\beta + t - 1}$$

The retention rate $r_t$ rises with $t$. Below, the fitted curve (solid) is compared with a constant-churn projection (dashed) on the demo data.`,
    zh: `## 5. 异质性留存：sBG 模型
移位贝塔几何模型（Fader & Hardie 2007）让每位客户拥有自己的流失概率 $\\theta$，服从 Beta$(\\alpha, \\beta)$ 分布：

$$P(T > t) = \\frac{B(\\alpha, \\beta + t)}{B(\\alpha, \\beta)}, \\qquad r_t = \\frac{\\beta + t - 1}{\\alpha + \\beta + t - 1}$$

留存率 $r_t$ 随 $t$ 上升。下面用示例数据比较拟合曲线（实线）与固定流失率的预测（虚线）。`,
  },
  learn6: {
    en: `## 6. When you cannot see churn: BG/NBD and P(alive)
In retail nobody cancels: a customer simply stops buying. The BG/NBD model (Fader, Hardie & Lee 2005) assumes each customer buys at their own rate $\\lambda$ while "alive" and may drop out after each purchase with probability $p$. From a customer's frequency $x$, recency $t_x$ and age $T$ it infers **P(alive)** — a customer who bought often but not for a long time is probably gone.`,
    zh: `## 6. 看不见流失时：BG/NBD 与 P(alive)
零售业中没有人会“退订”：客户只是不再购买。BG/NBD 模型（Fader, Hardie & Lee 2005）假设每位客户在“存活”期间以自己的速率 $\\lambda$ 购买，并在每次购买后以概率 $p$ 流失。根据客户的频次 $x$、最近一次购买时间 $t_x$ 和观察期长度 $T$，它推断出 **P(alive)**（仍然存活的概率）——过去常买、但很久没买的客户多半已经流失。`,
  },
  learn7: {
    en: `## 7. Intervals and LTV:CAC
A forecast is uncertain: parameters are estimated, and purchases are random. Report CLV with an interval, then compare it with what a customer costs to acquire. A common rule of thumb asks for **LTV:CAC ≥ 3** and a **payback within 12 months**.

The widget below is the whole simulator on a monthly business: 90% of customers renew after the first month, with the heterogeneous (sBG) retention of step 5 (heterogeneity 0.2); 4 orders a year of \\$60 at a 40% margin, 10% yearly discounting over 60 months, and a CAC of \\$80. Its headline CLV (about \\$181) carries the P10–P90 range of a Monte Carlo simulation, and the charts show the same bands.

> **Predict first:** with these inputs, does CAC pay back within a year? Move *Acquisition cost* and watch *CAC payback*.

<details><summary>Reveal the answer</summary>

Not quite: about 15 months (14.7) at a CAC of \\$80, and LTV:CAC is 2.27 : 1, below 3. At a CAC of \\$68 or less it pays back within 12 months, and LTV:CAC reaches 3 at about \\$60; the Monte Carlo lines under the metrics give the probabilities.

</details>`,
    zh: `## 7. 区间与 LTV:CAC
预测是不确定的：参数是估计出来的，购买也是随机的。报告 CLV 时应给出区间，再与获客成本比较。常用的经验法则是 **LTV:CAC ≥ 3**，且**在 12 个月内回收**。

下方的小工具是完整的模拟器，按月计的业务：首月后 90% 的客户续订，采用第 5 步的异质性（sBG）留存（异质性 0.2）；每年 4 单、每单 60 美元、毛利率 40%，每年折现 10%，共 60 个月，获客成本 80 美元。它的主数字 CLV（约 181 美元）附有蒙特卡洛模拟的 P10–P90 区间，图表也显示同样的区间带。

> **先预测一下：** 在这些输入下，获客成本能在一年内收回吗？拖动“获客成本”，观察“CAC 回收期”。

<details><summary>显示答案</summary>

不能：获客成本为 80 美元时约需 15 个月（14.7），LTV:CAC 为 2.27 : 1，低于 3。获客成本不超过 68 美元时可在 12 个月内回收，约 60 美元时 LTV:CAC 达到 3；指标下方的蒙特卡洛结果给出相应概率。

</details>`,
  },
};

/** The Markdown of a built-in note in `lang` ('' for an unknown preset). */
export function presetText(preset: string, lang: Lang): string {
  return Object.hasOwn(PRESETS, preset) ? PRESETS[preset][lang] : '';
}
