/**
 * More expression views for images analysed with fewer (`fea analyze --expression-views K --fill-views`): analysis
 * skips images it has analysed, so a workspace analysed before the default stored the mirror would otherwise keep
 * one view per face. Each image is analysed again with K views and only its views are replaced.
 */
import type { Workspace } from '../../db/open';
import { imagesWithFewerViews, setAnalysisExpressionViews } from '../../db/repositories/analysis';
import { EXPRESSION_FEATURE_DIM } from '../../pipelines/vision/expression-features';
import { reanalyse, type ReanalyseOptions } from './reanalyse';

/** Stores `views` expression views for every analysed image holding fewer; returns how many were filled. */
export async function fillExpressionViews(ws: Workspace, views: number, options: ReanalyseOptions = {}): Promise<number> {
  return reanalyse(
    ws,
    imagesWithFewerViews(ws.db, views, EXPRESSION_FEATURE_DIM),
    'expression views',
    { expressionViews: views },
    (img, r) => {
      setAnalysisExpressionViews(ws.db, img.imageId, r.expressionFeatures);
    },
    options,
  );
}
