"""The numbers: data sets, Lloyd's algorithm, the parameters and their limits, runs and their
timeline. numpy and the standard library only (`limits` needs only the standard library: the
build reads it). Imports nothing else of the package.

limits    the numeric parameters' limits and the page controls showing them
choices   the initialisations and empty-cluster rules: behaviour, words, script lines
data      point sets (blobs like scikit-learn's make_blobs, and more shapes), CSV reading
table     the visitor's own table as it really comes: delimiter, header, columns, encodings
engine    Lloyd's algorithm as pure numpy functions, exact at any magnitude, in pieces
params    the page's parameters: validation, URL query <-> parameters
session   what GO and RETRY do: data + initial centroids + a recorded run, branches
player    the animation timeline: which frame to show at time t
tries     the attempts on the current points and their final inertias (which start?)
race      two to four starts side by side on the same points, stepped together
teach     the numbers behind the lessons: why a point joins a cluster, each pick of a
          seeding rule, silhouette, adjusted Rand index, best of N starts, the elbow
"""
