# Histogram of one exit kind, native and KVM overlaid, log count scale.
# Variables (besides style.gp's): data, dir (plots/read-kind.gp: a kind-N.dat
# of exitlat-analyze --gnuplot, which names the series' hist-ID.dat files, their
# titles, line types and bins, and decides xlog, lbw (bin width in cycles on a
# linear x axis) and mode ('spikes': one line per distinct value, for a few
# exact values such as emulated path lengths; 'boxes': binned outlines)).
if (!exists("plotdir")) plotdir = 'plots'
load plotdir.'/read-kind.gp'
load plotdir.'/style.gp'
if (is_tex) set key width -tex_extra

set logscale y
set format y log_fmt
set yrange [0.7:*]
set ylabel 'count (samples per bin)'
set xlabel cyc_label
set key title (is_tex ? kind_tex : kind)
if (xlog) { set logscale x; set mxtics 10; set format x '%.0f' }
if (!xlog) set offsets graph 0.05, graph 0.05, 0, 0

# Display bins: exact values are summed into 40 bins per decade (log x) or bins
# of lbw cycles (linear x); the analysis' own log bins are kept as they are.
bpd = 40.0
islog(i) = BINS[i] eq 'log'
dbin(x) = x < 1 ? x : 10 ** (floor(log10(x) * bpd) / bpd)
lbin(x) = floor(x / lbw) * lbw
binx(i, x) = islog(i) ? x : (xlog ? dbin(x) : lbin(x))
# Right edge of the display bin starting at x.
fac(i) = islog(i) ? 10 ** (1.0 / BPD[i]) : 10 ** (1.0 / bpd)
hix(i, x) = (islog(i) || xlog) ? x * fac(i) : x + lbw

if (mode eq 'spikes') {
	plot for [i=1:n] dir.HIST[i] using 1:3 with impulses lt LT[i] notitle, \
	     for [i=1:n] dir.HIST[i] using 1:3 with points lt LT[i] \
		title (is_tex ? TITLE_TEX[i] : TITLE[i])
} else {
	# (table output uses the axis formats: plain numbers while it is written)
	set format x '%.12g'; set format y '%.12g'
	# The binning pass gets the data's range: a series of one value alone
	# would otherwise be an empty range (gnuplot warns and widens it).
	tlo = xlog ? lo / 2.0 : lo - lbw
	thi = xlog ? hi * 2.0 : hi + lbw
	set xrange [tlo:thi]
	set table $BINNED
	plot for [i=1:n] dir.HIST[i] using (binx(i, $1)):3 smooth frequency
	unset table
	set autoscale x
	if (fixed_x) { set xrange [xlo:xhi] }
	set format x (xlog ? '%.0f' : '%g'); set format y log_fmt
	set style fill empty
	plot for [i=1:n] $BINNED index (i - 1) \
		using (($1 + hix(i, $1)) / 2):2:(hix(i, $1) - $1) with boxes \
		lt LT[i] title (is_tex ? TITLE_TEX[i] : TITLE[i])
}

# A decade of headroom above the highest bin keeps the key clear of the data.
set yrange [0.7:GPVAL_Y_MAX * 10]
eval ns_axis
eval set_term
replot
