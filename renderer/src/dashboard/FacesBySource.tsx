/** Faces found per dataset source, with how they were found (the detector directly, on a padded crop, the crop as the face). */
import type { WorkspaceStats } from '../../../contract/types';
import { fmtInt, fmtPct } from '../charts/format';

type BySource = WorkspaceStats['analysis']['facesBySource'];

/** How a face was found, in the order shown; other kinds follow as stored. */
const DETECTION_ORDER = ['direct', 'padded', 'whole-crop', 'none'];

export function FacesBySource({ facesBySource }: { facesBySource: BySource }) {
  const rows = Object.entries(facesBySource).sort((a, b) => b[1].analyzed - a[1].analyzed || a[0].localeCompare(b[0]));
  if (rows.length === 0)
    return (
      <div className="db-tile__foot" data-testid="faces-by-source-empty">
        No image analysed yet (<code>fea analyze &lt;workspace&gt;</code>).
      </div>
    );
  const kinds = [...new Set(rows.flatMap(([, s]) => Object.keys(s.detection)))].sort(
    (a, b) => (DETECTION_ORDER.indexOf(a) + 1 || 99) - (DETECTION_ORDER.indexOf(b) + 1 || 99) || a.localeCompare(b),
  );
  return (
    <table className="dt-table db-sources" data-testid="faces-by-source" title="Faces found per dataset source, as fea analyze --json reports them">
      <thead>
        <tr>
          <th>Faces found per source</th>
          <th className="dt-num">Analysed</th>
          <th className="dt-num">Faces found</th>
          <th className="dt-num">Rate</th>
          {kinds.map((k) => (
            <th key={k} className="dt-num">
              {k}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map(([source, s]) => (
          <tr key={source} data-testid={`faces-source-${source}`}>
            <td>{source}</td>
            <td className="dt-num" data-testid="faces-source-analyzed">
              {fmtInt(s.analyzed)}
            </td>
            <td className="dt-num" data-testid="faces-source-found">
              {fmtInt(s.facesFound)}
            </td>
            <td className="dt-num">{s.analyzed > 0 ? fmtPct(s.facesFound / s.analyzed) : '–'}</td>
            {kinds.map((k) => (
              <td key={k} className="dt-num">
                {fmtInt(s.detection[k] ?? 0)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
