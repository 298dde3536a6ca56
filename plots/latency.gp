# An interrupt kind's latency histogram: counts per bin on a log scale, the
# bin 1 us, or finer where the latencies are far below a microsecond (the
# analysis chooses it and writes the axis label that names it), each series'
# maximum marked by a dotted line and its value.
# Variables (besides style.gp's): data, a latency-N.dat of exitlat-analyze
# --gnuplot (docs/analysis-outputs.md): block 0 the figure (kind, stamp,
# x label, series), block 1 one row per series (title, line type, max and
# its label), then one block per series of its bins: lo hi count, in the x
# axis' unit. Texts come through strcol(): data, never gnuplot code.
if (!exists("plotdir")) plotdir = 'plots'
set datafile separator "\t"
stats data index 0 using (kind = strcol(2), kind_tex = strcol(3), emulated = strcol(4) + 0, \
	emu_name = strcol(5), emu_name_tex = strcol(6), xl = strcol(8), xl_tex = strcol(9), \
	n = int(strcol(10) + 0), tex_extra = strcol(11) + 0, 0) nooutput
array TITLE[n]
array TITLE_TEX[n]
array LT[n]
array MAXX[n]
array MAXL[n]
array MAXL_TEX[n]
i_ = 0
stats data index 1 using (i_ = i_ + 1, TITLE[i_] = strcol(2), TITLE_TEX[i_] = strcol(3), \
	LT[i_] = int(strcol(4) + 0), MAXX[i_] = strcol(5) + 0, MAXL[i_] = strcol(6), \
	MAXL_TEX[i_] = strcol(7), 0) nooutput
set datafile separator whitespace
# The x axis is already time (or path length): no second nanosecond axis.
tsc_khz = 0
load plotdir.'/style.gp'
if (is_tex) set key width -tex_extra

set logscale y
set format y log_fmt
set yrange [0.7:*]
set ylabel 'count (samples per bin)'
set xlabel (is_tex ? xl_tex : xl)
set key top right title (is_tex ? kind_tex : kind)
set xrange [0:*]
set offsets 0, graph 0.04, 0, 0
set style fill empty
plot for [i=1:n] data index (i + 1) using (($1 + $2) / 2.0):3:($2 - $1) with boxes \
	lt LT[i] title (is_tex ? TITLE_TEX[i] : TITLE[i])

# Two decades of headroom: the key and the max labels stay clear of the bins.
set yrange [0.7:GPVAL_Y_MAX * 100]
eval ns_axis
# Each maximum: a dotted line at it, its value beside it (left of the line
# in the right half, right of it in the left half).
do for [i=1:n] {
	f_ = (MAXX[i] - xmin_) / (xmax_ > xmin_ ? xmax_ - xmin_ : 1)
	set arrow (10 + i) from MAXX[i], graph 0 to MAXX[i], graph 0.78 nohead lt LT[i] lw 1 dt (1,2) front
	if (f_ > 0.5) {
		set label (10 + i) (is_tex ? MAXL_TEX[i] : MAXL[i]) at MAXX[i], graph (0.74 - 0.08 * (i - 1)) right offset -0.4, 0 front tc lt LT[i]
	} else {
		set label (10 + i) (is_tex ? MAXL_TEX[i] : MAXL[i]) at MAXX[i], graph (0.74 - 0.08 * (i - 1)) left offset 0.4, 0 front tc lt LT[i]
	}
}
eval set_term
replot
