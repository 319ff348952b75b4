/** The HTTP API calls the category filter `category`; core calls it `categoryId`. */
export function renameCategory<T extends { category?: string | undefined }>({ category, ...rest }: T) {
  return { ...rest, ...(category === undefined ? {} : { categoryId: category }) };
}
