"""One PNG line plot per curve with gnuplot (pngcairo): series of (x, y)
points, labelled axes with units, optional log scales."""
import os
import subprocess


def plot(path, title, xlabel, ylabel, series, logx=False, logy=False, ymin=0):
    """series: [(label, [(x, y), ...])]. Writes PATH (a .png) and PATH.dat."""
    data = path[:-4] + ".dat"
    with open(data, "w") as f:
        for label, points in series:
            f.write(f"# {label}\n")
            for x, y in points:
                f.write(f"{x} {y}\n")
            f.write("\n\n")
    plots = ", ".join(f"'{data}' index {i} with linespoints lw 2 pt 7 title '{label}'"
                      for i, (label, _) in enumerate(series))
    script = "\n".join([
        "set terminal pngcairo noenhanced size 900,560 font 'DejaVu Sans,11'",
        f"set output '{path}'",
        f"set title '{title}'",
        f"set xlabel '{xlabel}'",
        f"set ylabel '{ylabel}'",
        "set grid",
        "set key below",
        "set logscale x" if logx else "",
        "set logscale y" if logy else f"set yrange [{ymin}:*]",
        f"plot {plots}",
    ])
    subprocess.run(["gnuplot"], input=script, text=True, check=True, capture_output=True)
    os.remove(data)
