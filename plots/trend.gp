# Trend of one series over the nights: the median as a line with points, a
# band from the median up to p99, and every kernel or microcode change marked
# on the time axis (a dashed line labelled with the new version).
# Variables (besides style.gp's):
#   data     trend-HOST--TRACK.dat written by `exitlat-history trend-data`
#            (docs/history-schema.md): block 0 the figure (title, emulated,
#            emulated_name, tsc_khz: a nanosecond axis when known), block 1
#            time median p99 p25 p75 count kernel_changed microcode_changed
#            kernel microcode
#   style_ok 1 when plots/style.gp is there (the caller checks), else
#            trend-nostyle.gp's minimal equivalent is used
# An emulated series is stamped EMULATED (style.gp): path lengths.
if (!exists("plotdir")) plotdir = 'plots'
if (!exists("style_ok")) style_ok = 1
set datafile separator "\t"
# Strings come decoded through strcol(): text from the history stays text.
stats data index 0 using (title_ = strcol(2), emulated = strcol(3) + 0, emu_name = strcol(4), \
	tsc_khz = strcol(5) + 0, 0) nooutput
load (style_ok ? plotdir.'/style.gp' : plotdir.'/trend-nostyle.gp')
set datafile separator "\t"

# One night alone would make an empty time range: give it a day on each side.
stats data index 1 using (timecolumn(1, '%Y-%m-%dT%H:%M:%SZ')) nooutput
tmin = STATS_min
tmax = STATS_max
stats data index 1 using 7 nooutput
kernel_changes = STATS_sum
stats data index 1 using 8 nooutput
ucode_changes = STATS_sum
stats data index 1 using 2 nooutput
ymin = STATS_min
nights = STATS_records
stats data index 1 using 3 nooutput
ymax = STATS_max
pad = (ymax - ymin) > 0 ? 0.08 * (ymax - ymin) : 0.02 * (ymax > 0 ? ymax : 1)
ylo = ymin - pad
yhi = ymax + 3 * pad
set yrange [ylo:yhi]

# Measured data with a known TSC rate: nanoseconds on the right.
if (!exists("tsc_khz")) tsc_khz = 0
if (tsc_khz > 0 && !emulated) {
	set y2range [ylo / (tsc_khz / 1.0e6):yhi / (tsc_khz / 1.0e6)]
	set y2tics nomirror out scale 0.6
	set y2label sprintf('nanoseconds (TSC %.3f GHz)', tsc_khz / 1.0e6)
	set border 11 back lw 0.8
}
set xdata time
if (tmax - tmin < 86400) { set xrange [tmin - 86400:tmax + 86400] }
set timefmt '%Y-%m-%dT%H:%M:%SZ'
set format x "%m-%d"
set xtics rotate by 30 right
if (tmax - tmin < 8 * 86400) { set xtics 86400 }
set xlabel 'night (UTC)'
set ylabel cyc_label
set key below horizontal maxcols 2 samplen 2 spacing 1.0 noautotitle
if (title_ ne '') { set title title_ offset 0, -0.3; set tmargin (emulated ? 3.4 : 2.2) }
set style fill transparent solid 0.25 noborder

# A change night: a vertical line and the new version at the top. Elements
# with no point at all are left out (gnuplot 5.4 crashes on an empty "labels").
chg(c) = column(c) > 0 ? ylo : NaN
p = "data index 1 using 1:2:3 with filledcurves lt 2 title (nights > 1 ? 'median .. p99' : ''), " . \
    "'' index 1 using 1:2 with linespoints lt 1 title 'median'"
# One night has no band to draw: a whisker from its median to its p99 instead.
if (nights == 1) { p = p . ", '' index 1 using 1:2:2:3 with yerrorbars lt 2 ps 0 title 'median .. p99'" }
if (kernel_changes > 0) {
	p = p . ", '' index 1 using 1:(chg(7)):(0):(yhi - ylo) with vectors nohead lt 7 lw 0.8 dt (4,3) title 'kernel change'" . \
		", '' index 1 using 1:(column(7) > 0 ? yhi - pad : NaN):(stringcolumn(9)) with labels rotate by 90 right offset 0.6, 0 font ',6'"
}
if (ucode_changes > 0) {
	p = p . ", '' index 1 using 1:(chg(8)):(0):(yhi - ylo) with vectors nohead lt 4 lw 0.8 dt (1,2) title 'microcode change'" . \
		", '' index 1 using 1:(column(8) > 0 ? ylo + pad : NaN):(stringcolumn(10)) with labels rotate by 90 left offset 0.6, 0 font ',6'"
}
eval "plot " . p

eval set_term
replot
